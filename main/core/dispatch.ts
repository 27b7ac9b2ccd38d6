import type { z } from 'zod';
import { isRequestName, requests, type Handlers } from './contract';
import { DomainError, fail, type OutpostError, type Result } from './errors';

export type Dispatch = (name: unknown, args: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Maps an unexpected throw (a storage error, a bug) to data; the default hides it as `internal`. */
  mapUnexpected?: (error: unknown) => OutpostError;
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): { message: string; field?: string } {
  const first = issues[0];
  // An extra key is reported on the object that holds it; name the key itself so the caller sees which.
  const firstPath = first?.code === 'unrecognized_keys' ? [...first.path, ...first.keys.slice(0, 1)] : (first?.path ?? []);
  const path = firstPath.map(String).join('.');
  const message = issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
  return path ? { message, field: path } : { message };
}

/**
 * The boundary every request crosses, whatever the transport: checks the name, validates the
 * args against the contract, runs the handler and turns every outcome into data.
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  const mapUnexpected =
    options.mapUnexpected ?? (() => ({ code: 'internal', message: 'Something went wrong inside Outpost.' }) as const);
  return async (name, args) => {
    if (!isRequestName(name)) {
      // JSON.stringify throws on a bigint, and a crash here would break the "errors are data" promise.
      const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : `of type ${typeof name}`;
      return fail({ code: 'unknown_request', message: `There is no request named ${shown}.` });
    }
    const parsed = requests[name].args.safeParse(args ?? {});
    if (!parsed.success) {
      const { message, field } = describeIssues(parsed.error.issues);
      return fail({ code: 'bad_request', message: `Invalid arguments for ${name}: ${message}`, ...(field ? { field } : {}) });
    }
    try {
      const handler = handlers[name] as (args: unknown) => unknown;
      const value = await handler(parsed.data);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof DomainError) return fail(error.toData());
      return fail(mapUnexpected(error));
    }
  };
}
