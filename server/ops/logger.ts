// Structured JSON logs (pretty in development). Anything that could carry a secret is redacted
// by path, as a second line of defence: the code never logs bodies, tokens or hashes.
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level: string; pretty: boolean; destination?: DestinationStream }): Logger {
  const settings = {
    level: options.level,
    redact: {
      paths: ['*.authorization', '*.password', '*.passwordHash', '*.token', '*.secret'],
      censor: '[redacted]',
    },
    ...(options.pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
