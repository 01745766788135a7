// The process logger: readable lines for a person at a terminal, one JSON object per line for files, pipes and log collectors.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

/** Only a terminal gets the pretty format; anything a program reads (pipe, file, journald) keeps the JSON it can parse. */
export function logFormatFor(out: { isTTY?: boolean }): LogFormat {
  return out.isTTY === true ? 'pretty' : 'json';
}

/**
 * pino-pretty runs as a plain synchronous stream in this process (no worker thread as with pino.transport),
 * so a line is on the screen before the next statement runs, and nothing is lost when the process exits.
 */
export function createLogger(level: string, out: Writable & { isTTY?: boolean } = process.stdout): Logger {
  const options = { level, base: { service: 'klartext' } };
  if (logFormatFor(out) === 'json') return out === process.stdout ? pino(options) : pino(options, out);
  return pino(options, pretty({ sync: true, destination: out, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }));
}
