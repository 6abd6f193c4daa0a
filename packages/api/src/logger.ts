import { secretSafeLogOptions } from '@greenfin/workflows';
import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_REDACTIONS } from './http/middleware.js';

/**
 * The API's pino logger: JSON lines; credentials never written — header and field paths redacted
 * (`[redacted]`), and credential patterns (webhook secrets, API keys, bearer tokens, JWTs,
 * passwords or keys in URLs) scrubbed from every message and string value.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, ...secretSafeLogOptions(LOG_REDACTIONS) };
  return destination ? pino(options, destination) : pino(options);
}
