import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, fieldsToJson, isRecord, makeAjv, noOperation, readSpec, SPECS_DIR, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * VK's own JSON Schema (VKCOM/vk-api-schema, specs/vk-api-schema/). Its headers say draft-07 but the
 * bodies mark required properties draft-03 style (`"required": true` on the property), which Ajv
 * refuses; on loading, each such mark moves into its parent's `required` array. Every file is
 * added to Ajv under its own path, so the relative `../wall/responses.json#/…` refs resolve.
 *
 * Methods list their parameters as JSON-Schema-like objects; on the wire (`/method/wall.post`,
 * query or form) every value is a string: booleans are 1/0, arrays comma-separated.
 */

interface VkParameter {
  name: string;
  type?: string;
  required?: boolean;
  items?: unknown;
  [keyword: string]: unknown;
}

interface VkMethods {
  methods: Array<{ name: string; parameters?: VkParameter[]; responses?: Record<string, unknown> }>;
}

const ROOT = 'https://specs.outpost.test/vk-api-schema/';
const DIR = join(SPECS_DIR, 'vk-api-schema');
/** Not on the wire: `inner_type` is a codegen discriminator the schema lists as required (specs README). */
const NOT_ON_THE_WIRE: Record<string, string[]> = {
  'base/objects.json#/definitions/base_error': ['inner_type'],
  'wall/objects.json#/definitions/wall_wallpost': ['inner_type'],
};
/** Parameters every method takes besides its own; captcha_sid/captcha_key repeat a call VK refused with error 14 (dev.vk.com/ru/api/captcha-error). */
const COMMON = new Set(['access_token', 'v', 'lang', 'test_mode', 'captcha_sid', 'captcha_key']);

/** `"required": true` on properties → the parent's `required: [...]`; `"required": false` is dropped. */
export function draft03Required(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(draft03Required);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && typeof value === 'boolean') continue;
    out[key] = draft03Required(value);
  }
  if (isRecord(schema['properties'])) {
    const marked = Object.entries(schema['properties']).filter(([, p]) => isRecord(p) && p['required'] === true).map(([name]) => name);
    const listed = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
    if (marked.length || listed.length) out['required'] = [...new Set([...listed, ...marked])];
  }
  return out;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return name.endsWith('.json') ? [relative(DIR, path)] : [];
  });
}

export interface VkSchema extends RequestValidator {
  /** Checks one call's wire parameters (all strings) against the method's parameter list. */
  checkCall(method: string, params: Record<string, string>): SpecCheck;
  /** Violations of a response body (`{response: …}` or `{error: …}`) against the method's schema; `extended` for calls with extended=1. */
  checkResponse(method: string, body: unknown, extended?: boolean): string[];
}

let cached: VkSchema | undefined;

export function vkSchema(): VkSchema {
  if (cached) return cached;
  const coercing = makeAjv('draft-07', true);
  const strict = makeAjv('draft-07', false);
  const methods = new Map<string, { parameters: VkParameter[]; file: string; index: number; extended: boolean }>();
  for (const file of files(DIR)) {
    const raw = readSpec<Record<string, unknown>>(join('vk-api-schema', file));
    delete raw['$schema'];
    const doc = draft03Required(raw) as Record<string, unknown>;
    for (const [ref, names] of Object.entries(NOT_ON_THE_WIRE)) {
      const [path, pointer] = ref.split('#');
      if (path !== file) continue;
      const node = pointer!.split('/').filter(Boolean).reduce<unknown>((n, part) => (n as Record<string, unknown>)[part], doc) as Record<string, unknown>;
      node['required'] = (node['required'] as string[]).filter((n) => !names.includes(n));
    }
    for (const ajv of [coercing, strict] as Ajv[]) ajv.addSchema(doc, ROOT + file);
    if (file.endsWith('methods.json')) {
      (raw as unknown as VkMethods).methods.forEach((m, index) => methods.set(m.name, { parameters: m.parameters ?? [], file, index, extended: m.responses?.['extendedResponse'] !== undefined }));
    }
  }
  const paramValidators = new Map<string, ValidateFunction>();
  const responseValidators = new Map<string, ValidateFunction>();

  function paramsValidator(method: string): ValidateFunction {
    let validate = paramValidators.get(method);
    if (!validate) {
      const { parameters, file, index } = methods.get(method)!;
      // Each parameter by ref into its file, so the file's own refs resolve against it.
      validate = coercing.compile({
        type: 'object',
        properties: Object.fromEntries(parameters.map((p, i) => [p.name, { $ref: `${ROOT}${file}#/methods/${index}/parameters/${i}` }])),
        required: parameters.filter((p) => p.required === true).map((p) => p.name),
      });
      paramValidators.set(method, validate);
    }
    return validate;
  }

  function checkCall(method: string, wire: Record<string, string>): SpecCheck {
    const definition = methods.get(method);
    if (!definition) return noOperation();
    const violations: SpecViolation[] = [];
    const known = new Map(definition.parameters.map((p) => [p.name, p]));
    const params: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(wire)) {
      const parameter = known.get(name);
      if (!parameter) {
        // VK ignores unknown parameters; a misspelt one is a silent bug.
        if (!COMMON.has(name)) violations.push({ message: `unexpected parameter "${name}"`, refused: false });
        continue;
      }
      if (parameter.type === 'array') params[name] = value === '' ? [] : value.split(',');
      else if (parameter.type === 'boolean') params[name] = value === '1' ? true : value === '0' ? false : value;
      else params[name] = value;
    }
    const validate = paramsValidator(method);
    if (!validate(params)) violations.push(...describeErrors(validate.errors).map((message) => ({ message, refused: true })));
    return { operation: method, path: {}, query: {}, body: params, violations };
  }

  cached = {
    checkCall,
    checkResponse(method, body, extended = false) {
      const definition = methods.get(method);
      if (!definition) return [`no method ${method}`];
      const variant = extended && definition.extended ? 'extendedResponse' : 'response';
      let validate = responseValidators.get(`${method}#${variant}`);
      if (!validate) {
        const error = `${ROOT}base/objects.json#/definitions/base_error`;
        const response = `${ROOT}${definition.file}#/methods/${definition.index}/responses/${variant}`;
        validate = strict.compile({ anyOf: [{ $ref: response }, { type: 'object', required: ['error'], properties: { error: { $ref: error } } }] });
        responseValidators.set(`${method}#${variant}`, validate);
      }
      return validate(body) ? [] : describeErrors(validate.errors);
    },
    warm: (names) => names.forEach(paramsValidator),
    check(req: FakeRequest): SpecCheck {
      const method = /^\/method\/([\w.]+)$/.exec(req.path)?.[1];
      if (!method) return noOperation();
      const wire: Record<string, string> = Object.fromEntries(req.query);
      for (const [name, value] of Object.entries(fieldsToJson(req.body.fields))) if (typeof value === 'string') wire[name] = value;
      return checkCall(method, wire);
    },
  };
  return cached;
}
