// `klartext user create|list`: accounts for staff and readers from the command line.
import { createUser, listUsers, ROLES, STANDARD_HASHING } from '../accounts/index.ts';
import type { CommandContext } from './main.ts';
import { parseOptions } from './cli-options.ts';

export const USER_USAGE = `Aufruf: klartext user create --email ADRESSE --role ${ROLES.join('|')} [--name NAME] [--password-stdin]
       klartext user list

  --password-stdin   Passwort von der Standardeingabe lesen (sonst wird eines erzeugt und ausgegeben)`;

export async function runUserCommand({ args, store, io }: CommandContext): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    const users = await listUsers((await store()).db);
    if (users.length === 0) io.out('Es gibt noch keine Konten.');
    for (const u of users) io.out(`${u.email}\t${u.role}\t${u.emailVerified ? 'bestätigt' : 'nicht bestätigt'}\t${u.createdAt}`);
    return 0;
  }
  if (sub !== 'create') { io.err(USER_USAGE); return 2; }
  const parsed = parseOptions(rest, { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } });
  if (!parsed.ok) { io.err(`klartext user create: ${parsed.problem}\n\n${USER_USAGE}`); return 2; }
  const email = parsed.values.email as string | undefined;
  const role = (parsed.values.role as string | undefined) ?? 'reader';
  const name = parsed.values.name as string | undefined;
  if (!email) { io.err(`klartext user create: --email fehlt\n\n${USER_USAGE}`); return 2; }
  let password: string | undefined;
  if (parsed.values['password-stdin']) {
    password = (await io.stdin()).replace(/\r?\n$/, '');
    if (!password) { io.err('klartext user create: auf der Standardeingabe kam kein Passwort an'); return 2; }
  }
  const { user, generatedPassword } = await createUser((await store()).db, { email, role, ...(password !== undefined ? { password } : {}), ...(name ? { displayName: name } : {}) }, { hashing: STANDARD_HASHING });
  io.out(`Konto angelegt: ${user.email} (Rolle: ${user.role})`);
  if (generatedPassword) io.out(`Passwort: ${generatedPassword}\nBitte notieren Sie es jetzt; es wird nicht gespeichert und nicht noch einmal angezeigt.`);
  return 0;
}
