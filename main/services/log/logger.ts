import { join } from 'node:path';
import pino from 'pino';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { ensurePrivateDir } from '../data/data-folder';

/**
 * The one logger of the main process: a rotating file in `<dataDir>/logs/` (5 files of 5 MB),
 * JSON lines with levels, written by pino (fast, well kept). Secrets never reach it by design
 * (tokens are not passed to log calls), and as a second line every value the secret store has
 * read or written is registered and replaced by `[redacted]` in each line before it is written,
 * raw, URL-encoded and JSON-escaped alike.
 */

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(bindings: LogFields): Logger;
  /** A value that must never be written (a token, an app password); shorter than 6 characters is ignored. */
  registerSecret(value: string): void;
  /** The file being written, for Settings › Data; null for a logger that writes nowhere. */
  readonly file: string | null;
  close(): Promise<void>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface FileLoggerOptions {
  dir: string;
  level?: LogLevel;
  /** Bytes before the file rotates (default 5 MB). */
  maxBytes?: number;
  /** Rotated files kept (default 5). */
  maxFiles?: number;
}

export const LOG_FILE = 'outpost.log';
const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** OUTPOST_LOG_LEVEL=debug turns the chatty lines on for one run (support), without a build or a setting. */
function levelFromEnv(): LogLevel | undefined {
  const wanted = process.env['OUTPOST_LOG_LEVEL']?.trim().toLowerCase();
  return LEVELS.find((level) => level === wanted);
}
const MIN_SECRET_LENGTH = 6;

/** Every form a secret can take in a JSON log line. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

class Redactor {
  private readonly forms = new Set<string>();
  private sorted: string[] = [];

  add(secret: string): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return;
    let added = false;
    for (const form of formsOf(secret)) {
      if (this.forms.has(form)) continue;
      this.forms.add(form);
      added = true;
    }
    // Longest first, so a secret that contains another is replaced whole.
    if (added) this.sorted = [...this.forms].sort((a, b) => b.length - a.length);
  }

  scrub(line: string): string {
    let out = line;
    for (const form of this.sorted) if (out.includes(form)) out = out.split(form).join('[redacted]');
    return out;
  }
}

function wrap(base: pino.Logger, redactor: Redactor, file: string | null, close: () => Promise<void>): Logger {
  const call = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (fields) base[level](normalise(fields), message);
    else base[level](message);
  };
  return {
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
    child: (bindings) => wrap(base.child(bindings), redactor, file, close),
    registerSecret: (value) => redactor.add(value),
    file,
    close,
  };
}

/** pino serializes `err`; an error passed under another name is moved there. */
function normalise(fields: LogFields): LogFields {
  if (fields['error'] !== undefined && fields['err'] === undefined) {
    const { error, ...rest } = fields;
    return { ...rest, err: error instanceof Error ? error : { message: String(error) } };
  }
  return fields;
}

export function createFileLogger(options: FileLoggerOptions): Logger {
  ensurePrivateDir(options.dir);
  const redactor = new Redactor();
  const stream: RotatingFileStream = createStream(LOG_FILE, {
    path: options.dir,
    size: `${Math.max(1, Math.round((options.maxBytes ?? 5 * 1024 * 1024) / 1024))}K`,
    maxFiles: options.maxFiles ?? 5,
    mode: 0o600,
  });
  // A full disk or a vanished folder must not take the app down with it: the log is best effort.
  stream.on('error', () => undefined);
  const base = pino(
    {
      level: options.level ?? levelFromEnv() ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.errWithCause },
      hooks: { streamWrite: (line) => redactor.scrub(line) },
    },
    stream,
  );
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      stream.end(() => resolve());
    }));
  return wrap(base, redactor, join(options.dir, LOG_FILE), close);
}

/** Writes nowhere (tests that do not look at the log); still accepts secrets. */
export function createNullLogger(): Logger {
  const redactor = new Redactor();
  const base = pino({ level: 'silent' });
  return wrap(base, redactor, null, async () => undefined);
}

/** The names the issue gives them: `createLogger({ dir, level })` and a shared `nullLogger`. */
export const createLogger = createFileLogger;
export const nullLogger: Logger = createNullLogger();
