// Lint rules: typescript-eslint's recommended set, a few bug catchers, and the import boundaries between domains and web areas.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const DOMAINS = ['content', 'access', 'accounts', 'mail', 'db', 'billing', 'analytics', 'jobs', 'newsroom', 'metrics', 'ops'];
const AREAS = ['reader', 'paywall', 'account', 'billing', 'newsroom', 'publisher', 'analytics'];
const HONO = ['hono', 'hono/*', '@hono/*'];

/**
 * Specifiers are matched as written (gitignore style), so the rules speak in relative paths as seen from each folder.
 * `from` is the path back to src/ ('../../' from src/web/<area>/); reaching a domain goes through its index.ts only.
 */
const domainInsides = (from) => ({
  group: DOMAINS.flatMap((d) => [`${from}${d}/*`, `!${from}${d}/index.ts`, `${from}${d}/*/**`]),
  message: 'Einen Fachbereich nur über seine index.ts importieren, nie seine inneren Dateien.',
});
const otherAreas = (own) => ({
  group: AREAS.filter((a) => a !== own).flatMap((a) => [`../${a}/*`, `../${a}/**`, `../../web/${a}/**`, `../web/${a}/**`]),
  message: 'Ein Bereich importiert nie einen anderen Bereich; Gemeinsames gehört nach web/platform oder web/ui.',
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
    },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-return-assign': ['error', 'except-parens'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // TypeScript checks undefined names itself (and knows DOM and Node types); the core rule only duplicates it with false alarms.
      'no-undef': 'off',
      // Input rules reject control characters on purpose (account fields, forwarded headers); the rule would flag exactly those.
      'no-control-regex': 'off',
    },
  },
  {
    // The command line and its scripts talk to the terminal; tests and benchmarks may print what they measured.
    files: ['src/cli/**', 'scripts/**', 'bench/**', 'bin/**', 'tests/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off' },
  },
  // --- Import boundaries (docs/style.md). Later blocks for the same file replace the rule, so each block lists everything that folder must not import.
  {
    // Domain folders: no web framework, nothing of the web layer.
    files: DOMAINS.map((d) => `src/${d}/**`),
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: HONO, message: 'Fachbereiche importieren kein Web-Framework (hono); das gehört nach src/web/.' },
          { group: ['../web/**', '../../web/**', '../../../web/**', '../site/**', '../http/**', '../app.tsx'], message: 'Fachbereiche importieren nie die Web-Schicht.' },
        ],
      }],
    },
  },
  {
    // web/platform: domain index.ts files, never ui or an area.
    files: ['src/web/platform/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          domainInsides('../../'),
          { group: ['../ui/**', ...AREAS.map((a) => `../${a}/**`), '../app.tsx'], message: 'web/platform importiert weder web/ui noch einen Bereich.' },
        ],
      }],
    },
  },
  {
    // web/ui: platform and domain index.ts files, never an area.
    files: ['src/web/ui/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          domainInsides('../../'),
          { group: [...AREAS.map((a) => `../${a}/**`), '../app.tsx'], message: 'web/ui importiert nie einen Bereich.' },
        ],
      }],
    },
  },
  ...AREAS.map((area) => ({
    // An area: platform, ui, its own files, domain index.ts files.
    files: [`src/web/${area}/**`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [domainInsides('../../'), otherAreas(area), { group: ['../app.tsx'], message: 'Nur src/web/app.tsx setzt die Bereiche zusammen.' }],
      }],
    },
  })),
  {
    // Tests of the web layer build the whole app (app.tsx) and use the domains' fixtures; they still stay out of other areas.
    files: ['src/web/platform/**/*.test.ts', 'src/web/platform/**/*.test.tsx', 'src/web/ui/**/*.test.ts', 'src/web/ui/**/*.test.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
  ...AREAS.map((area) => ({
    files: [`src/web/${area}/**/*.test.ts`, `src/web/${area}/**/*.test.tsx`],
    rules: { 'no-restricted-imports': ['error', { patterns: [otherAreas(area)] }] },
  })),
);
