import type { FakeRequest } from '../fake-server';
import { fieldsToJson, noOperation, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * Meta's Graph API description as its business SDKs are generated from it
 * (facebook/facebook-business-sdk-codegen `api_specs/specs/<Node>.json`, in shared/networks/specs/
 * meta-graph-codegen-specs/). Not OpenAPI: each node lists `apis[] {method, endpoint, params[{name,
 * type, required}]}`. The fake routes `METHOD /{id}/{endpoint}` to the node type it gave `{id}`
 * (endpoint names can differ from the REST path; the fake maps those), then this adapter checks the
 * form or query parameters: unknown names, required, and values by codegen type (`bool`, `int`,
 * `unsigned int`, `datetime`, `list<…>` as a JSON array, `*_enum_param` from enum_types.json).
 *
 * Node calls (`GET /{id}`, `POST /{id}`, `DELETE /{id}`) are the `#get`, `#update` and `#delete`
 * entries; a `fields=` selection is checked against the returned node's `fields[]` when that node
 * is copied. The files live in specs/meta-graph-codegen-specs/ with their LICENSE (SOURCES.md).
 */

export interface CodegenNode {
  /** Edges carry `endpoint`; the node's own calls carry `name` instead: `#get`, `#update`, `#delete`. */
  apis: Array<{ method: string; endpoint?: string; name?: string; return?: string; params?: Array<{ name: string; type: string; required: boolean }> }>;
  fields?: Array<{ name: string; type: string }>;
}

/**
 * Parameters every Graph call takes, which the codegen lists leave to the SDK's request layer:
 * the token and its proof (developers.facebook.com/docs/graph-api/guides/secure-requests), the
 * field selection (`fields`) and cursor/time paging (`limit`, `after`, `before`, `since`, `until`;
 * developers.facebook.com/docs/graph-api/results).
 */
const GRAPH_WIDE = new Set(['access_token', 'appsecret_proof', 'fields', 'limit', 'after', 'before', 'since', 'until']);

export interface CodegenEnum {
  name: string;
  values: string[];
}

export interface MetaCodegenOptions {
  nodes: Record<string, CodegenNode>;
  enums: CodegenEnum[];
  /** Which node and endpoint a request is for (`POST /123/feed` → Page, feed); undefined: not a Graph call. */
  route(req: FakeRequest): { node: string; endpoint: string } | undefined;
}

/** Whether a wire string is a valid value of a codegen type; undefined when the type is not checked here. */
function fits(type: string, value: string, enums: Map<string, string[]>): boolean | undefined {
  if (type === 'bool') return value === 'true' || value === 'false' || value === '1' || value === '0';
  if (type === 'int') return /^-?\d+$/.test(value);
  if (type === 'unsigned int') return /^\d+$/.test(value);
  if (type === 'float') return Number.isFinite(Number(value));
  if (type === 'datetime') return /^\d+$/.test(value) || Number.isFinite(Date.parse(value));
  if (type === 'string') return true;
  if (type.startsWith('list<') || type === 'Object' || type === 'map') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (type.startsWith('list<')) return Array.isArray(parsed) || commaList(type, value, enums);
      return typeof parsed === 'object' && parsed !== null;
    } catch {
      return type.startsWith('list<') && commaList(type, value, enums);
    }
  }
  const values = enums.get(type);
  return values ? values.includes(value) : undefined;
}

/**
 * Erratum: Graph also reads a list of plain values written comma-separated, as Meta's own guides
 * send them (Instagram's carousel `children=<id1>,<id2>,…`, content-publishing guide); the codegen
 * types only say `list<string>`. Lists of objects (`list<Object>`, `list<map>`) still need JSON.
 */
function commaList(type: string, value: string, enums: Map<string, string[]>): boolean {
  const inner = /^list<(.+)>$/.exec(type)?.[1];
  if (!inner || !['string', 'int', 'unsigned int'].includes(inner) || /[[\]{}"]/.test(value)) return false;
  return value.split(',').every((item) => item !== '' && fits(inner, item, enums) !== false);
}

export function metaCodegenValidator(options: MetaCodegenOptions): RequestValidator {
  // enum_types.json is keyed by the very type names params use (`pagefeed_formatting_enum_param`).
  const enums = new Map(options.enums.map((e) => [e.name, e.values]));
  return {
    warm: () => undefined,
    check(req: FakeRequest): SpecCheck {
      const target = options.route(req);
      if (!target) return noOperation();
      const api = options.nodes[target.node]?.apis.find((a) => a.method === req.method && (a.endpoint ?? a.name) === target.endpoint);
      if (!api) return { ...noOperation(), violations: [{ message: `${target.node} has no ${req.method} ${target.endpoint}`, refused: true }] };
      const wire: Record<string, unknown> = { ...Object.fromEntries(req.query), ...fieldsToJson(req.body.fields) };
      const violations: SpecViolation[] = [];
      const params = new Map((api.params ?? []).map((p) => [p.name, p]));
      for (const [name, value] of Object.entries(wire)) {
        const param = params.get(name);
        if (!param) {
          if (!GRAPH_WIDE.has(name)) violations.push({ message: `unexpected parameter "${name}"`, refused: false });
          continue;
        }
        if (fits(param.type, String(value), enums) === false) violations.push({ message: `${name} is not a valid ${param.type}`, refused: true });
      }
      for (const param of api.params ?? []) if (param.required && wire[param.name] === undefined) violations.push({ message: `${param.name} is required`, refused: true });
      // Graph refuses a field the returned node does not have: "(#100) Tried accessing nonexisting field".
      const returned = api.return ? options.nodes[api.return]?.fields : undefined;
      if (typeof wire.fields === 'string' && returned) {
        const known = new Set(returned.map((f) => f.name));
        for (const field of topLevelFields(wire.fields)) if (!known.has(field)) violations.push({ message: `${api.return} has no field "${field}"`, refused: true });
      }
      return { operation: `${target.node}.${req.method} ${target.endpoint}`, path: {}, query: {}, body: wire, violations };
    },
  };
}

/** `id,from{id,name},attachments.limit(2)` → id, from, attachments: the names Graph checks first. */
function topLevelFields(selection: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selection) {
    if (char === '{' || char === '(') depth += 1;
    else if (char === '}' || char === ')') depth -= 1;
    else if (char === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else if (depth === 0) current += char;
  }
  names.push(current);
  return names.map((n) => n.split('.')[0]!.trim()).filter(Boolean);
}
