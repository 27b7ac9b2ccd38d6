import { createHmac, randomBytes } from 'node:crypto';
import { GRAPH_API_VERSION } from '../../main/services/connectors/meta/graph';
import { fieldOf, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers, type RequestMatcher } from './fake-server';
import { metaCodegenValidator, type CodegenEnum, type CodegenNode } from './validate/meta-codegen';
import { readSpec, type RequestValidator, type SpecViolation } from './validate/spec';

/**
 * What the loopback Graph API fakes share (facebook-fake.ts for Pages, instagram-fake.ts for IG
 * users): routing `METHOD /v<ver>/{id}[/{edge}]` to the node type a fake gave `{id}` and checking it
 * against Meta's own description of that node (specs/meta-graph-codegen-specs through
 * validate/meta-codegen.ts), Graph's error envelope (CONTRACTS.md §6: `{"error":{message, type,
 * code, error_subcode, error_user_title, error_user_msg, fbtrace_id}}`), the usage headers of its
 * throttles, field selection, cursor paging, and appsecret_proof.
 */

export const GRAPH_PREFIX = `/${GRAPH_API_VERSION}/`;

export class GraphError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly subcode?: number,
    readonly status = 400,
    readonly user: { title?: string; message?: string } = {},
  ) {
    super(message);
  }
}

/** What a test switches a fake's next answers to (`failNext`). */
export interface GraphErrorSwitch {
  code: number;
  subcode?: number;
  message?: string;
  /** Default 400 (Graph answers most errors so; 1/2 come as 500). */
  status?: number;
  headers?: Record<string, string>;
  isTransient?: boolean;
  userTitle?: string;
  userMessage?: string;
}

export function graphErrorJson(e: GraphError): { error: Record<string, unknown> } {
  return {
    error: {
      message: e.message,
      type: e.code === 190 || e.code === 102 || e.code === 100 ? 'OAuthException' : 'GraphMethodException',
      code: e.code,
      ...(e.subcode !== undefined ? { error_subcode: e.subcode } : {}),
      ...(e.user.title ? { error_user_title: e.user.title } : {}),
      ...(e.user.message ? { error_user_msg: e.user.message } : {}),
      fbtrace_id: randomBytes(8).toString('base64url'),
    },
  };
}

export function graphErrorAnswer(e: GraphError): FakeResponse {
  return { status: e.status, json: graphErrorJson(e) };
}

/** A switched answer: Graph's envelope with the code, status and headers asked for. */
export function graphSwitchAnswer(error: GraphErrorSwitch): FakeResponse {
  const status = error.status ?? (error.code === 1 || error.code === 2 ? 500 : 400);
  const body = graphErrorJson(new GraphError(error.code, error.message ?? `(#${error.code}) Graph error ${error.code}`, error.subcode, status, { title: error.userTitle, message: error.userMessage }));
  if (error.isTransient) body.error.is_transient = true;
  return { status, json: body, ...(error.headers ? { headers: error.headers } : {}) };
}

/** The next `count` Graph calls that match answer this error instead of running. */
export function failNextGraph(server: FakeServer, error: GraphErrorSwitch, match: RequestMatcher = () => true, count = 1): void {
  server.faults.next({ kind: 'respond', response: graphSwitchAnswer(error) }, count, match);
}

/**
 * The business-use-case throttle's headers (rate-limiting guide): X-Business-Use-Case-Usage per id
 * with `estimated_time_to_regain_access` in minutes, and X-App-Usage's percentages.
 */
export function bucUsageHeaders(id: string, type: string, waitMs: number): Record<string, string> {
  const usage = { [id]: [{ type, call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: Math.ceil(waitMs / 60_000) }] };
  return { 'x-business-use-case-usage': JSON.stringify(usage), 'x-app-usage': JSON.stringify({ call_count: 100, total_cputime: 10, total_time: 10 }) };
}

/** Graph's 429-equivalent (a throttle code with usage headers), a 5xx, and the (#100) refusal of an off-spec request. */
export function graphAnswers(throttle: (retryAfterMs: number) => { error: GraphError; headers: Record<string, string> }): NetworkAnswers {
  return {
    rateLimited: (retryAfterMs) => {
      const { error, headers } = throttle(retryAfterMs);
      return { status: 400, headers, json: graphErrorJson(error) };
    },
    serverError: (status) => ({ status, json: { error: { message: 'An unexpected error has occurred. Please retry your request later.', type: 'OAuthException', code: 2, is_transient: true } } }),
    refused: (messages) => graphErrorAnswer(new GraphError(100, `(#100) ${messages.join('; ')}`)),
  };
}

/** Query and form parameters merged, as Graph reads them. */
export function graphParams(req: FakeRequest): Record<string, string> {
  const out: Record<string, string> = Object.fromEntries(req.query);
  for (const [name, value] of req.body.fields) out[name] = value;
  return out;
}

export function graphTokenOf(req: FakeRequest): string | undefined {
  return req.query.get('access_token') ?? fieldOf(req.body, 'access_token');
}

/** `{id, edge}` of a Graph path; undefined for the dialog, the token endpoint and anything unversioned. */
export function graphPathOf(req: FakeRequest): { id: string; edge: string | undefined } | undefined {
  if (!req.path.startsWith(GRAPH_PREFIX)) return undefined;
  const [id, edge, ...rest] = req.path.slice(GRAPH_PREFIX.length).split('/');
  if (!id || id === 'oauth' || id === 'dialog' || rest.length > 0) return undefined;
  return { id, edge };
}

/** Meta's codegen files for these nodes, and the enums their parameters use. */
export function readCodegen(names: readonly string[]): { nodes: Record<string, CodegenNode>; enums: CodegenEnum[] } {
  const nodes: Record<string, CodegenNode> = {};
  for (const name of names) nodes[name] = readSpec<CodegenNode>(`meta-graph-codegen-specs/${name}.json`);
  return { nodes, enums: readSpec<CodegenEnum[]>('meta-graph-codegen-specs/enum_types.json') };
}

/**
 * Checks every Graph call against the codegen entry for the node type the fake gave `{id}` (`#get`,
 * `#update`, `#delete` for the node itself, the edge's name otherwise). `nodeOf` answers undefined for
 * an id the fake does not know; such calls are left to the fake (it answers Graph's 100).
 */
export function graphNodeValidator(options: { nodes: Record<string, CodegenNode>; enums: CodegenEnum[]; nodeOf(id: string, req: FakeRequest): string | undefined }): RequestValidator {
  const route = (req: FakeRequest): { node: string; endpoint: string } | undefined => {
    const at = graphPathOf(req);
    const node = at && options.nodeOf(at.id, req);
    if (!at || !node) return undefined;
    const own = req.method === 'GET' ? '#get' : req.method === 'DELETE' ? '#delete' : '#update';
    return { node, endpoint: at.edge ?? own };
  };
  const codegen = metaCodegenValidator({ nodes: options.nodes, enums: options.enums, route });
  const enums = new Map(options.enums.map((e) => [e.name, e.values]));
  return {
    warm: codegen.warm,
    check(req) {
      const target = route(req);
      const api = target && options.nodes[target.node]?.apis.find((a) => a.method === req.method && (a.endpoint ?? a.name) === target.endpoint);
      if (!target || !api) return codegen.check(req);
      const own: SpecViolation[] = [];
      const query = new URLSearchParams(req.query);
      const summary = query.get('summary');
      if (summary !== null && req.method === 'GET' && target.endpoint !== '#get') {
        if (!EDGE_SUMMARY.test(summary)) own.push({ message: `summary must be a bool or total_count/viewer_reaction, not "${summary}"`, refused: true });
        query.delete('summary');
      }
      for (const param of api.params ?? []) {
        const value = query.get(param.name);
        const inner = /^list<(.+)>$/.exec(param.type)?.[1];
        // Lists of enum values or names, comma-separated as Meta's insights references send `metric` (plain strings and ints the codegen check reads itself).
        if (value === null || !inner || value.startsWith('[') || (inner !== 'Object' && !enums.has(inner))) continue;
        const items = value.split(',');
        const allowed = enums.get(inner);
        for (const item of items) if (item === '' || (allowed && !allowed.includes(item))) own.push({ message: `${param.name}: "${item}" is not a valid ${inner}`, refused: true });
        query.set(param.name, JSON.stringify(items));
      }
      const checked = codegen.check({ ...req, query });
      return { ...checked, violations: [...own, ...checked.violations] };
    },
  };
}

/**
 * Graph's edge modifier `summary`, which the codegen params leave to the SDK's request layer:
 * /reactions takes `total_count` and `viewer_reaction` (developers.facebook.com/docs/graph-api/reference/object/reactions,
 * "Modifiers"), /comments a bool whose summary carries `total_count` (…/reference/object/comments, "Modifiers").
 */
const EDGE_SUMMARY = /^(true|false|1|0|(total_count|viewer_reaction)(,(total_count|viewer_reaction))*)$/;

/** An edge's list with its summary, as Graph answers `summary=…&limit=0`: no items, the total. */
export function summaryList(total: number, extra: Record<string, unknown> = {}): unknown {
  return { data: [], summary: { total_count: total, ...extra } };
}

/**
 * An insights answer (Instagram media insights and Page post insights references):
 * `{data:[{name, period, values:[{value}], title, description, id:"<id>/insights/<name>/<period>"}]}`,
 * one entry per metric asked that has a value; a metric without one is left out, as Meta leaves it.
 */
export function insightsAnswer(id: string, asked: readonly string[], values: Readonly<Record<string, number | undefined>>, period = 'lifetime'): unknown {
  const title = (name: string) => name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
  return {
    data: asked
      .filter((name) => values[name] !== undefined)
      .map((name) => ({ name, period, values: [{ value: values[name] }], title: title(name), description: `${title(name)} of this object.`, id: `${id}/insights/${name}/${period}` })),
  };
}

/** What a `metric=` parameter asks, comma-separated or a JSON list. */
export function metricsAsked(value: string | undefined): string[] {
  if (!value) return [];
  return value.startsWith('[') ? (JSON.parse(value) as string[]) : value.split(',').map((m) => m.trim());
}

/**
 * appsecret_proof (developers.facebook.com/docs/graph-api/guides/secure-requests): a proof that no
 * known app secret makes is refused with (#100); none at all is a violation, since Outpost always
 * holds the user's app secret.
 */
export function checkAppSecretProof(server: FakeServer, req: FakeRequest, token: string, proof: string | undefined, secrets: readonly string[]): void {
  if (proof === undefined) {
    server.violate(req, 'no appsecret_proof (Outpost always has the app secret)', false);
    return;
  }
  if (!secrets.some((secret) => createHmac('sha256', secret).update(token).digest('hex') === proof)) throw new GraphError(100, 'Invalid appsecret_proof provided in the API argument');
}

/** Only the fields asked for (Graph's default is the id and a name or message); absent values are left out. */
export function selectFields(node: Record<string, unknown>, p: Record<string, string>): Record<string, unknown> {
  const wanted = (p['fields'] ?? 'id').split(',').map((f) => f.replace(/[{(.].*$/, '').trim());
  return Object.fromEntries(Object.entries(node).filter(([k, v]) => v !== undefined && (k === 'id' || wanted.includes(k))));
}

/** A cursor-paged list (developers.facebook.com/docs/graph-api/results); `next` is built by the fake from the cursor. */
export function cursorList(items: Array<Record<string, unknown>>, p: Record<string, string>, nextUrl: (after: string) => string): unknown {
  const limit = Math.min(Number(p['limit'] ?? 25), 100);
  const start = p['after'] ? Number(Buffer.from(p['after'], 'base64url').toString()) : 0;
  const page = items.slice(start, start + limit).map((item) => selectFields(item, p));
  const end = start + page.length;
  const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
  return { data: page, paging: { cursors: { before: cursor(start), after: cursor(end) }, ...(end < items.length ? { next: nextUrl(cursor(end)) } : {}) } };
}

/** Graph's time format: "2026-12-05T09:00:00+0000". */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
