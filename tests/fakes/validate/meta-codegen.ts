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
 * Written ahead of the Facebook and Instagram fakes; the spec files get copied under specs/ with
 * their LICENSE when the first of those fakes uses them.
 */

export interface CodegenNode {
  apis: Array<{ method: string; endpoint: string; params?: Array<{ name: string; type: string; required: boolean }> }>;
}

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
      return type.startsWith('list<') ? Array.isArray(parsed) : typeof parsed === 'object' && parsed !== null;
    } catch {
      return false;
    }
  }
  const values = enums.get(type);
  return values ? values.includes(value) : undefined;
}

export function metaCodegenValidator(options: MetaCodegenOptions): RequestValidator {
  // enum_types.json is keyed by the very type names params use (`pagefeed_formatting_enum_param`).
  const enums = new Map(options.enums.map((e) => [e.name, e.values]));
  return {
    warm: () => undefined,
    check(req: FakeRequest): SpecCheck {
      const target = options.route(req);
      if (!target) return noOperation();
      const api = options.nodes[target.node]?.apis.find((a) => a.method === req.method && a.endpoint === target.endpoint);
      if (!api) return { ...noOperation(), violations: [{ message: `${target.node} has no ${req.method} ${target.endpoint}`, refused: true }] };
      const wire: Record<string, unknown> = { ...Object.fromEntries(req.query), ...fieldsToJson(req.body.fields) };
      const violations: SpecViolation[] = [];
      const params = new Map((api.params ?? []).map((p) => [p.name, p]));
      for (const [name, value] of Object.entries(wire)) {
        const param = params.get(name);
        if (!param) {
          if (name !== 'access_token' && name !== 'appsecret_proof') violations.push({ message: `unexpected parameter "${name}"`, refused: false });
          continue;
        }
        if (fits(param.type, String(value), enums) === false) violations.push({ message: `${name} is not a valid ${param.type}`, refused: true });
      }
      for (const param of api.params ?? []) if (param.required && wire[param.name] === undefined) violations.push({ message: `${param.name} is required`, refused: true });
      return { operation: `${target.node}.${req.method} ${target.endpoint}`, path: {}, query: {}, body: wire, violations };
    },
  };
}
