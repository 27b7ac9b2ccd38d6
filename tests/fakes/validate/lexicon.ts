import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, makeAjv, noOperation, readSpec, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * atproto Lexicons (specs/atproto-lexicons/, copied from bluesky-social/atproto) as checks for
 * XRPC calls and answers. A lexicon is not JSON Schema, so its types are turned into it: object,
 * params, string (with the formats used here), integer with bounds, boolean, blob (mime `accept`
 * and `maxSize`), array, ref (`nsid#def` or `#def`). `knownValues` are open sets in Lexicon and
 * are not enforced. A query is GET, a procedure POST; a procedure's input encoding must match
 * the request's content type.
 */

interface LexDef {
  type: string;
  required?: string[];
  properties?: Record<string, LexDef>;
  parameters?: LexDef;
  input?: { encoding: string; schema?: LexDef };
  output?: { encoding: string; schema?: LexDef };
  ref?: string;
  refs?: string[];
  items?: LexDef;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  accept?: string[];
  maxSize?: number;
  const?: unknown;
  enum?: unknown[];
}

interface LexDoc {
  lexicon: 1;
  id: string;
  defs: Record<string, LexDef>;
}

type Schema = Record<string, unknown>;

const FORMATS: Record<string, RegExp> = {
  did: /^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$/,
  nsid: /^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+$/,
  cid: /^[a-zA-Z0-9+=]{8,256}$/,
  language: /^(i|[a-z]{2,3})(-[a-zA-Z0-9]+)*$/,
};

const idOf = (nsid: string) => `lex:${nsid}`;

export interface LexiconSet extends RequestValidator {
  /** What in an answer breaks the method's output schema. */
  checkOutput(nsid: string, body: unknown): string[];
  /** What in a value breaks a def (`app.bsky.embed.video`, `app.bsky.video.defs#jobStatus`). */
  checkValue(ref: string, value: unknown): string[];
}

/** Loads the named lexicon files (paths under specs/atproto-lexicons/). */
export function lexiconSet(files: string[], options: { extraParams?: Record<string, string[]> } = {}): LexiconSet {
  const docs = new Map<string, LexDoc>();
  for (const file of files) {
    const doc = readSpec<LexDoc>(`atproto-lexicons/${file}`);
    docs.set(doc.id, doc);
  }
  const ajv = makeAjv('2020', false, FORMATS);
  const coercing = makeAjv('2020', true, FORMATS);

  function refOf(ref: string, within: string): Schema {
    const [nsid, name = 'main'] = ref.startsWith('#') ? [within, ref.slice(1)] : ref.split('#');
    return { $ref: `${idOf(nsid!)}#/$defs/${name}` };
  }

  function schemaOf(def: LexDef, within: string): Schema {
    switch (def.type) {
      case 'object':
      case 'params':
        return {
          type: 'object',
          properties: Object.fromEntries(Object.entries(def.properties ?? {}).map(([name, prop]) => [name, schemaOf(prop, within)])),
          required: def.required ?? [],
        };
      case 'string':
        return { type: 'string', ...(def.format && FORMATS[def.format] ? { format: def.format } : {}), ...(def.const !== undefined ? { const: def.const } : {}), ...(def.enum ? { enum: def.enum } : {}) };
      case 'integer':
        return { type: 'integer', ...(def.minimum !== undefined ? { minimum: def.minimum } : {}), ...(def.maximum !== undefined ? { maximum: def.maximum } : {}) };
      case 'boolean':
        return { type: 'boolean' };
      case 'blob': {
        const accept = def.accept?.map((pattern) => `^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
        return {
          type: 'object',
          required: ['$type', 'ref', 'mimeType', 'size'],
          properties: {
            $type: { const: 'blob' },
            ref: { type: 'object', required: ['$link'], properties: { $link: { type: 'string', format: 'cid' } } },
            mimeType: accept ? { type: 'string', anyOf: accept.map((pattern) => ({ pattern })) } : { type: 'string' },
            size: { type: 'integer', minimum: 0, ...(def.maxSize !== undefined ? { maximum: def.maxSize } : {}) },
          },
        };
      }
      case 'array':
        return { type: 'array', items: def.items ? schemaOf(def.items, within) : {}, ...(def.maxLength !== undefined ? { maxItems: def.maxLength } : {}) };
      case 'ref':
        return refOf(def.ref!, within);
      case 'union':
        return { anyOf: (def.refs ?? []).map((ref) => refOf(ref, within)) };
      default:
        return {};
    }
  }

  for (const doc of docs.values()) {
    const defs: Record<string, Schema> = {};
    for (const [name, def] of Object.entries(doc.defs)) {
      if (def.type === 'query' || def.type === 'procedure') {
        defs[name] = {};
        if (def.parameters) defs[`${name}__params`] = schemaOf(def.parameters, doc.id);
        if (def.output?.schema) defs[`${name}__output`] = schemaOf(def.output.schema, doc.id);
      } else {
        defs[name] = schemaOf(def, doc.id);
      }
    }
    ajv.addSchema({ $id: idOf(doc.id), $defs: defs });
    coercing.addSchema({ $id: idOf(doc.id), $defs: defs });
  }

  const compiled = new Map<string, ValidateFunction>();
  function validator(which: Ajv2020Like, key: string, ref: string): ValidateFunction {
    let validate = compiled.get(key);
    if (!validate) {
      validate = which.compile({ $ref: ref });
      compiled.set(key, validate);
    }
    return validate;
  }

  function check(req: FakeRequest): SpecCheck {
    const nsid = /^\/xrpc\/([A-Za-z0-9.-]+)$/.exec(req.path)?.[1];
    const def = nsid ? docs.get(nsid)?.defs['main'] : undefined;
    if (!nsid || !def) return noOperation();
    const violations: SpecViolation[] = [];
    const wanted = def.type === 'query' ? 'GET' : 'POST';
    if (req.method !== wanted) violations.push({ message: `${nsid} is a ${def.type}: ${wanted}, not ${req.method}`, refused: true });
    const query: Record<string, unknown> = Object.fromEntries(req.query);
    const known = new Set([...Object.keys(def.parameters?.properties ?? {}), ...(options.extraParams?.[nsid] ?? [])]);
    for (const name of Object.keys(query)) if (!known.has(name)) violations.push({ message: `unexpected parameter "${name}"`, refused: false });
    if (def.parameters) {
      const validate = validator(coercing, `${nsid}#params`, `${idOf(nsid)}#/$defs/main__params`);
      if (!validate(query)) violations.push(...describeErrors(validate.errors).map((message) => ({ message: `parameters: ${message}`, refused: true })));
    }
    if (def.type === 'procedure' && def.input) {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== def.input.encoding) violations.push({ message: `input must be ${def.input.encoding}, not ${type || 'none'}`, refused: true });
    }
    return { operation: nsid, path: {}, query, body: undefined, violations };
  }

  return {
    check,
    warm: () => undefined,
    checkOutput(nsid, body) {
      const def = docs.get(nsid)?.defs['main'];
      if (!def?.output?.schema) return [`${nsid} has no output schema here`];
      const validate = validator(ajv, `${nsid}#output`, `${idOf(nsid)}#/$defs/main__output`);
      return validate(body) ? [] : describeErrors(validate.errors).map((line) => `${nsid} output: ${line}`);
    },
    checkValue(ref, value) {
      const [nsid, name = 'main'] = ref.split('#');
      const validate = validator(ajv, `value:${ref}`, `${idOf(nsid!)}#/$defs/${name}`);
      return validate(value) ? [] : describeErrors(validate.errors).map((line) => `${ref}: ${line}`);
    },
  };
}

type Ajv2020Like = ReturnType<typeof makeAjv>;
