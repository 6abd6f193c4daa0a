import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACTIONS } from './http/middleware.js';

/** The API's pino logger: JSON lines, credentials redacted. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: LOG_REDACTIONS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
