import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

export type { Logger };

/** JSON logs on stdout; credentials never reach them. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    level,
    name: 'live-leaderboard',
    redact: {
      paths: ['req.headers.authorization', '*.password', '*.refreshToken', '*.accessToken', '*.token'],
      censor: '[redacted]',
    },
  });
}
