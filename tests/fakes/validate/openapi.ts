import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, fieldsToJson, isRecord, makeAjv, noOperation, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * Checks requests against an OpenAPI 3.1 document with Ajv 2020: finds the operation by method and
 * path template, then checks path and query parameters and the request body. The whole document is
 * added to Ajv, so `#/components/...` refs resolve as written. Form and multipart bodies are folded
 * to JSON first (`media_ids[]` → `media_ids`) and their strings coerced, because such specs model
 * only the JSON body; file parts count as present.
 *
 * Names the operation does not declare are reported (`unexpected field "text"`) but not refused:
 * servers ignore them, which is exactly how a misspelt field goes unnoticed.
 */

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
  explode?: boolean;
}

interface Operation {
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> } | { $ref: string };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
}

export interface OpenApiOptions {
  /** A URI for the document inside Ajv (any unique one). */
  id: string;
  /** Formats the document names beyond JSON Schema's (Mastodon's `scopes`). */
  formats?: Record<string, true | RegExp>;
}

interface BodyCheck {
  json: ValidateFunction;
  form: ValidateFunction;
  names: Set<string>;
  /** For a body that is a union (anyOf/oneOf), each branch, so a failure names the closest one. */
  branches: Array<{ json: ValidateFunction; form: ValidateFunction }>;
}

interface Route {
  template: string;
  pattern: RegExp;
  names: string[];
  literals: number;
}

interface Compiled {
  label: string;
  params: Parameter[];
  query: ValidateFunction;
  path: ValidateFunction;
  bodyRequired: boolean;
  /** By media type: a validator for folded forms (coercing) and for JSON as sent. */
  bodies: Map<string, BodyCheck>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

export function openApiValidator(doc: OpenApiDocument, options: OpenApiOptions): RequestValidator {
  const strict = makeAjv('2020', false, options.formats);
  const coercing = makeAjv('2020', true, options.formats);
  strict.addSchema(doc, options.id);
  coercing.addSchema(doc, options.id);

  // Literal segments win over templates: /accounts/verify_credentials before /accounts/{id}.
  const routes: Route[] = Object.keys(doc.paths)
    .map((template) => {
      const names: string[] = [];
      const source = template
        .split('/')
        .map((segment) => segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)')))
        .join('/');
      return { template, pattern: new RegExp(`^${source}$`), names, literals: template.split('/').filter((s) => s && !s.includes('{')).length };
    })
    .sort((a, b) => b.literals - a.literals || a.names.length - b.names.length);

  const cache = new Map<string, Compiled>();

  function resolve<T>(value: T | { $ref: string }): T {
    if (!isRecord(value) || typeof value['$ref'] !== 'string') return value as T;
    const ref = value['$ref'];
    let node: unknown = doc;
    for (const part of ref.replace(/^#\//, '').split('/')) node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return resolve(node as T);
  }
  function isArraySchema(schema: unknown): boolean {
    const resolved = resolve(schema);
    return isRecord(resolved) && resolved['type'] === 'array';
  }


  /** Property names a body schema declares, through $ref, allOf, anyOf and oneOf. */
  function declaredNames(schema: unknown, seen = new Set<unknown>()): Set<string> {
    const names = new Set<string>();
    const node = resolve(schema);
    if (!isRecord(node) || seen.has(node)) return names;
    seen.add(node);
    if (isRecord(node['properties'])) for (const name of Object.keys(node['properties'])) names.add(name);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = node[key];
      if (Array.isArray(list)) for (const part of list) for (const name of declaredNames(part, seen)) names.add(name);
    }
    return names;
  }

  function compile(template: string, method: string): Compiled {
    const key = `${method} ${template}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const item = doc.paths[template]!;
    const operation = item[method] as Operation;
    const base = `${options.id}#/${pointer('paths', template)}`;
    const params: Parameter[] = [];
    // Operation parameters override path-item ones of the same name and place; each keeps its pointer for Ajv.
    const refs = new Map<string, { param: Parameter; ref: string }>();
    for (const [where, list] of [[pointer('parameters'), item['parameters']], [pointer(method, 'parameters'), operation.parameters]] as const) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw: Parameter | { $ref: string }, i: number) => {
        const param = resolve(raw);
        // A shared parameter ($ref to #/components/parameters/…) keeps its schema where the ref points (X's document).
        const at = isRecord(raw) && typeof raw['$ref'] === 'string' ? `${options.id}${raw['$ref']}/schema` : `${base}/${where}/${i}/schema`;
        refs.set(`${param.in}:${param.name}`, { param, ref: at });
      });
    }
    const objectOf = (place: Parameter['in']) => {
      const chosen = [...refs.values()].filter(({ param }) => param.in === place);
      params.push(...chosen.map(({ param }) => param));
      return {
        type: 'object',
        properties: Object.fromEntries(chosen.map(({ param, ref: r }) => [param.name, param.schema === undefined ? {} : { $ref: r }])),
        required: chosen.filter(({ param }) => param.required || place === 'path').map(({ param }) => param.name),
      };
    };
    const requestBody = operation.requestBody ? resolve(operation.requestBody) : undefined;
    const bodies: Compiled['bodies'] = new Map();
    for (const [mediaType, content] of Object.entries(requestBody?.content ?? {})) {
      if (content.schema === undefined) continue;
      const at = `${base}/${pointer(method, 'requestBody', 'content', mediaType, 'schema')}`;
      const resolved = resolve(content.schema);
      const union = isRecord(resolved) ? (resolved['anyOf'] ?? resolved['oneOf']) : undefined;
      const key = isRecord(resolved) && resolved['anyOf'] ? 'anyOf' : 'oneOf';
      bodies.set(mediaType, {
        json: strict.compile({ $ref: at }),
        form: coercing.compile({ $ref: at }),
        names: declaredNames(content.schema),
        branches: Array.isArray(union)
          ? union.map((_b, i) => ({ json: strict.compile({ $ref: `${at}/${key}/${i}` }), form: coercing.compile({ $ref: `${at}/${key}/${i}` }) }))
          : [],
      });
    }
    const compiled: Compiled = {
      label: `${method.toUpperCase()} ${template}`,
      params,
      query: coercing.compile(objectOf('query')),
      path: coercing.compile(objectOf('path')),
      bodyRequired: requestBody?.required === true,
      bodies,
    };
    cache.set(key, compiled);
    return compiled;
  }

  return {
    warm(operations) {
      for (const operation of operations) {
        const [method, template] = operation.split(' ');
        compile(template!, method!.toLowerCase());
      }
    },
    check(req: FakeRequest): SpecCheck {
      const method = req.method.toLowerCase();
      if (!METHODS.includes(method)) return noOperation();
      for (const route of routes) {
        const match = route.pattern.exec(req.path);
        if (!match || !isRecord(doc.paths[route.template]?.[method])) continue;
        return checkOperation(req, compile(route.template, method), route, match);
      }
      return noOperation();
    },
  };

  function checkOperation(req: FakeRequest, op: Compiled, route: Route, match: RegExpExecArray): SpecCheck {
    const violations: SpecViolation[] = [];
    const refuse = (messages: string[]) => violations.push(...messages.map((message) => ({ message, refused: true })));

    const path = Object.fromEntries(route.names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
    if (!op.path(path)) refuse(describeErrors(op.path.errors).map((m) => `path ${m}`));

    const query = fieldsToJson(req.query);
    // style: form with explode: false sends an array as one comma-separated value (OpenAPI 3.0 "Style Values").
    for (const param of op.params) {
      const value = query[param.name];
      if (param.in === 'query' && param.explode === false && typeof value === 'string' && isArraySchema(param.schema)) query[param.name] = value.split(',');
    }
    const queryNames = new Set(op.params.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of Object.keys(query)) if (!queryNames.has(name)) violations.push({ message: `unexpected query parameter "${name}"`, refused: false });
    if (!op.query(query)) refuse(describeErrors(op.query.errors).map((m) => `query ${m}`));

    const body = checkBody(req, op, violations);
    return { operation: op.label, path, query, body, violations };
  }

  function checkBody(req: FakeRequest, op: Compiled, violations: SpecViolation[]): Record<string, unknown> | undefined {
    const sent = req.body;
    if (sent.type === 'none') {
      if (op.bodyRequired) violations.push({ message: 'a request body is required', refused: true });
      return undefined;
    }
    if (sent.type === 'malformed' || sent.type === 'other') {
      violations.push({ message: `the body is ${sent.type}${sent.error ? ` (${sent.error})` : ''}`, refused: true });
      return undefined;
    }
    if (op.bodies.size === 0) return undefined;
    const declared = sent.type === 'json' ? 'application/json' : sent.type === 'urlencoded' ? 'application/x-www-form-urlencoded' : 'multipart/form-data';
    // A form where only JSON is modelled is read as that JSON (Rails reads both the same way).
    const schema = op.bodies.get(declared) ?? (FORM_TYPES.has(declared) ? op.bodies.get('application/json') : undefined);
    if (!schema) {
      violations.push({ message: `the body is ${declared}; the spec takes ${[...op.bodies.keys()].join(' or ')}`, refused: true });
      return undefined;
    }
    let body: unknown;
    if (sent.type === 'json') {
      body = sent.json;
    } else {
      const folded = fieldsToJson(sent.fields);
      for (const [name] of sent.files) folded[name] = '(file)';
      body = folded;
    }
    if (isRecord(body)) {
      for (const name of Object.keys(body)) if (!schema.names.has(name)) violations.push({ message: `unexpected field "${name}"`, refused: false });
    }
    const mode = sent.type === 'json' ? 'json' : 'form';
    const validate = schema[mode];
    if (!validate(body)) {
      // "must match a schema in anyOf" says little: show what the closest branch misses.
      const closest = schema.branches
        .map((branch) => (branch[mode](structuredClone(body)), describeErrors(branch[mode].errors)))
        .sort((a, b) => a.length - b.length)[0];
      const messages = closest?.length ? closest : describeErrors(validate.errors);
      violations.push(...messages.map((message) => ({ message, refused: true })));
    }
    return isRecord(body) ? body : undefined;
  }
}
