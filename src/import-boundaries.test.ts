// The lint rules that keep areas, web layers and domains apart (eslint.config.js) do refuse each forbidden import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslint = new ESLint({ cwd: root });

/** The boundary messages for one line of code placed at a (virtual) file path under the repository. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

test('an area may not import another area', async () => {
  const errors = await boundaryErrors('src/web/paywall/x.ts', "import { readerRoutes } from '../reader/reader.routes.tsx'; void readerRoutes;");
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /nie einen anderen Bereich/);
});

test("an area reaches a domain through its index.ts only, never the domain's insides", async () => {
  assert.match((await boundaryErrors('src/web/paywall/x.ts', "import { makeDecoy } from '../../access/decoy.ts'; void makeDecoy;"))[0] ?? '', /nur über seine index.ts/);
  assert.match((await boundaryErrors('src/web/account/x.ts', "import { x } from '../../accounts/user.queries.ts'; void x;"))[0] ?? '', /nur über seine index.ts/);
  assert.deepEqual(await boundaryErrors('src/web/paywall/x.ts', "import { checkAccess } from '../../access/index.ts'; void checkAccess;"), []);
});

test('an area may use platform, ui, its own files and hono', async () => {
  const code = [
    "import { Hono } from 'hono';",
    "import { render } from '../platform/render.tsx';",
    "import { Teaser } from '../ui/teaser.view.tsx';",
    "import { GiftPage } from './gift.view.tsx';",
    'void Hono; void render; void Teaser; void GiftPage;',
  ].join('\n');
  assert.deepEqual(await boundaryErrors('src/web/paywall/x.tsx', code), []);
});

test('a domain folder may not import hono or anything of the web layer', async () => {
  for (const spec of ['hono', 'hono/jsx', '@hono/node-server', '../web/platform/csrf.ts', '../../web/ui/teaser.view.tsx']) {
    const errors = await boundaryErrors('src/access/x.ts', `import * as m from '${spec}'; void m;`);
    assert.equal(errors.length, 1, spec);
  }
  assert.deepEqual(await boundaryErrors('src/access/x.ts', "import { z } from 'zod'; import { newId } from '../db/index.ts'; void z; void newId;"), []);
});

test('web/ui may not import an area, and web/platform neither an area nor ui', async () => {
  assert.match((await boundaryErrors('src/web/ui/x.ts', "import { y } from '../account/y.ts'; void y;"))[0] ?? '', /web\/ui importiert nie einen Bereich/);
  assert.equal((await boundaryErrors('src/web/platform/x.ts', "import { y } from '../reader/y.ts'; void y;")).length, 1);
  assert.equal((await boundaryErrors('src/web/platform/x.ts', "import { y } from '../ui/teaser.view.tsx'; void y;")).length, 1);
  assert.deepEqual(await boundaryErrors('src/web/ui/x.ts', "import { y } from '../platform/render.tsx'; import { z } from '../../content/index.ts'; void y; void z;"), []);
});
