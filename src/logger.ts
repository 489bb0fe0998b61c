import { pino, type DestinationStream, type Logger } from 'pino';
import { maskPersonalData } from './nlu/entities.js';

export type { Logger };

// Petitioner text is never logged whole; these fields are removed wherever they appear.
const REDACT = ['text', 'name', 'phone', 'details', 'summary', 'token', '*.text', '*.name', '*.phone', '*.details', '*.summary', '*.token', 'req.headers.authorization'];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    // A last line of defence: personal data that slipped into a message string is masked.
    hooks: {
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === 'string' ? maskPersonalData(a) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
