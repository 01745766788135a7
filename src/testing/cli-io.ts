// A CliIo that records what a command prints, for tests of the `klartext` command.
import type { CliIo } from '../cli/main.ts';

export function captureIo(stdin = ''): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), stdin: async () => stdin };
}
