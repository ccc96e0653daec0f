/** Nest's LoggerService over pino (nestjs-pino does not support Nest 12). Structured JSON lines; the
 *  `authorization` metadata and API keys are redacted wherever they appear. */
import type { LoggerService } from '../nest';
import pino, { Logger, LevelWithSilent } from 'pino';

export type LogLevel = LevelWithSilent;

export function createPino(level: LogLevel = 'info', destination: pino.DestinationStream | number = 1): Logger {
  const stream = typeof destination === 'number' ? pino.destination({ fd: destination, sync: true }) : destination;
  return pino(
    {
      level,
      base: { service: 'hpo-server' },
      redact: {
        paths: ['authorization', '*.authorization', 'apiKey', '*.apiKey', 'api_key', '*.api_key', 'metadata', '*.metadata'],
        censor: '[redacted]',
      },
    },
    stream,
  );
}

/** The server's logger: Nest's interface (log/error/warn/debug/verbose/fatal with an optional
 *  context) plus direct access to pino for structured fields. */
export class AppLogger implements LoggerService {
  constructor(readonly pino: Logger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message instanceof Error) {
      this.pino[level]({ err: message, context }, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...(message as object), context });
    } else {
      const stack = level === 'error' && rest.length > 1 && typeof rest[0] === 'string' ? rest[0] : undefined;
      this.pino[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }
}
