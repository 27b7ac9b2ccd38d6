import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import Ajv, { type ErrorObject, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FakeRequest } from '../fake-server';

/**
 * What the spec adapters share: the shape of a check, wire-to-JSON normalising, Ajv set-up.
 *
 * An adapter reads one network's own machine-readable description (OpenAPI, the Bot API JSON,
 * VK's schema, Meta's codegen files) and says what in a request breaks it. The fake decides what
 * the network answers; the server base records every violation so a test can fail on it.
 */

export interface SpecViolation {
  message: string;
  /** true: the real network refuses such a request; false: it ignores the oddity (an unknown field). */
  refused: boolean;
}

export interface SpecCheck {
  /** The operation the request was matched to (`POST /api/v1/statuses`, `sendMessage`, `wall.post`); undefined: not in the spec. */
  operation: string | undefined;
  /** Path template parameters, typed by the spec. */
  path: Record<string, unknown>;
  /** Query parameters, typed by the spec. */
  query: Record<string, unknown>;
  /** The body as JSON (form fields folded, numbers and booleans coerced); RPC-style APIs put every parameter here. */
  body: Record<string, unknown> | undefined;
  violations: SpecViolation[];
}

export interface RequestValidator {
  check(req: FakeRequest): SpecCheck;
  /** Compiles these operations now (`sendMessage`, `POST /api/v1/statuses`), so a client's first call is not slowed past its timeout. */
  warm(operations: string[]): void;
}

/** The spec files copied beside the fakes (CI has no ../shared); see specs/SOURCES.md. */
export const SPECS_DIR = fileURLToPath(new URL('../specs/', import.meta.url));

export function readSpec<T = unknown>(relativePath: string): T {
  return JSON.parse(readFileSync(join(SPECS_DIR, relativePath), 'utf8')) as T;
}

export function noOperation(): SpecCheck {
  return { operation: undefined, path: {}, query: {}, body: undefined, violations: [] };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Form fields as the JSON a Rails-style server builds from them: `media_ids[]` repeated → an array,
 * `poll[options][]` → nested, a plain repeated name → the last value.
 */
export function fieldsToJson(fields: Iterable<[string, string]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    const keys = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(name);
    if (!keys) {
      out[name] = value;
      continue;
    }
    const path = [keys[1]!, ...[...keys[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
    let node: Record<string, unknown> = out;
    for (let i = 0; i < path.length; i += 1) {
      const key = path[i]!;
      const last = i === path.length - 1;
      const next = path[i + 1];
      if (next === '') {
        const list = Array.isArray(node[key]) ? (node[key] as unknown[]) : (node[key] = []);
        if (i + 1 === path.length - 1) list.push(value);
        break;
      }
      if (last) node[key] = value;
      else node = (isRecord(node[key]) ? node[key] : (node[key] = {})) as Record<string, unknown>;
    }
  }
  return out;
}

/** Ajv error → one line a failing test can show: `/visibility must be equal to one of the allowed values: public, …`. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  const lines = (errors ?? []).map((e) => {
    const where = e.instancePath || '(body)';
    if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
    if (e.keyword === 'required') return `${e.instancePath || ''}/${(e.params as { missingProperty: string }).missingProperty} is required`;
    return `${where} ${e.message ?? e.keyword}`;
  });
  return [...new Set(lines)];
}

/** Formats the specs use that are not JSON Schema's own; `binary` is a file part (present is enough). */
const EXTRA_FORMATS: Record<string, true | RegExp> = {
  binary: true,
  int32: true,
  int64: true,
  float: true,
  double: true,
  password: true,
};

/**
 * One Ajv per dialect and coercion mode. `coerce`: form and query values arrive as strings, so a
 * numeric or boolean field is coerced as the server would; JSON bodies are checked as sent.
 */
export function makeAjv(dialect: '2020' | 'draft-07', coerce: boolean, formats: Record<string, true | RegExp> = {}): Ajv {
  const options: Options = { strict: false, validateSchema: false, allErrors: true, coerceTypes: coerce, logger: false };
  const ajv = dialect === '2020' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  for (const [name, format] of Object.entries({ ...EXTRA_FORMATS, ...formats })) ajv.addFormat(name, format);
  return ajv;
}
