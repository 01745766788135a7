#!/usr/bin/env node
// The `klartext` command: runs the TypeScript CLI through tsx, so no build step stands between a clone and a running site.
import { register } from 'tsx/esm/api';
register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
