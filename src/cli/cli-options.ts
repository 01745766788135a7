// Command-line options through node:util parseArgs, with German messages that name the offending option.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export type ParsedOptions =
  | { ok: true; values: Record<string, string | boolean | undefined>; positionals: string[] }
  | { ok: false; problem: string };

/**
 * Strict parsing: an unknown option, an option without its value or a stray argument is a usage problem, never guessed at.
 * parseArgs only says what went wrong in English prose, so the option is read from its quoted name in that message.
 */
export function parseOptions(args: string[], options: OptionSpec, maxPositionals = 0): ParsedOptions {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (e) {
    const code = (e as { code?: string }).code;
    const quoted = /'([^']*)'/.exec((e as Error).message)?.[1]?.replace(/ <value>$/, '') ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { ok: false, problem: `unbekannte Option ${quoted}` };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = quoted.replace(/^-+/, '');
      return { ok: false, problem: options[name]?.type === 'boolean' ? `${quoted} nimmt keinen Wert an` : `${quoted} braucht einen Wert` };
    }
    return { ok: false, problem: `Argumente nicht verstanden (${quoted || args.join(' ')})` };
  }
  if (parsed.positionals.length > maxPositionals) return { ok: false, problem: `unerwartetes Argument „${parsed.positionals[maxPositionals]}“` };
  return { ok: true, values: parsed.values, positionals: parsed.positionals };
}
