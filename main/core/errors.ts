/** Error codes that cross the boundary as data; the UI picks the words from `code` and `reason`. */
export const errorCodes = [
  'bad_request',
  'unknown_request',
  'unauthorized',
  'not_found',
  'conflict',
  'validation',
  'keychain_unavailable',
  /** A network could not be reached or refused the call for a reason that is not the user's input. */
  'network',
  /** The browser sign-in ended without a grant (timed out, declined, cancelled). */
  'sign_in_failed',
  'storage_full',
  /** The data folder is not open (start-up recovery is waiting for the user), so nothing else can run. */
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface OutpostError {
  code: ErrorCode;
  /** English text for logs and developers; never parsed by the UI. */
  message: string;
  /** The argument the error is about, when there is one. */
  field?: string;
  /** A stable key naming the rule that was broken, for the UI's translated message. */
  reason?: string;
  /** What the network answered, in words (never a secret): its own, or Outpost's explanation of it; never parsed. */
  networkMessage?: string;
  /** Only the network's own words, quoted as "<network> said"; absent when the words are Outpost's. */
  networkSaid?: string;
  /** Numbers the UI's sentence needs, e.g. `{ posts: 3 }` for a file still used by posts. */
  details?: Record<string, string | number>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: OutpostError };

/** Thrown by domain code for failures the user can act on; turned into `{ ok: false }` at the boundary. */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  readonly reason: string | undefined;
  readonly networkMessage: string | undefined;
  readonly networkSaid: string | undefined;
  readonly details: Record<string, string | number> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { field?: string; reason?: string; networkMessage?: string; networkSaid?: string; details?: Record<string, string | number> } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = details.field;
    this.reason = details.reason;
    this.networkMessage = details.networkMessage;
    this.networkSaid = details.networkSaid;
    this.details = details.details;
  }

  toData(): OutpostError {
    const error: OutpostError = { code: this.code, message: this.message };
    if (this.field !== undefined) error.field = this.field;
    if (this.reason !== undefined) error.reason = this.reason;
    if (this.details !== undefined) error.details = this.details;
    if (this.networkMessage !== undefined) error.networkMessage = this.networkMessage;
    if (this.networkSaid !== undefined) error.networkSaid = this.networkSaid;
    return error;
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(error: OutpostError): { ok: false; error: OutpostError } {
  return { ok: false, error };
}
