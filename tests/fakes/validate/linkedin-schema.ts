import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, makeAjv, noOperation, readSpec, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * LinkedIn publishes no machine-readable spec (specs/README: "What could not be found"), so the
 * request shapes are a JSON Schema the team wrote from LinkedIn's documentation pages
 * (specs/linkedin-posts.schema.json; pages and dates in SOURCES.json). This adapter routes each
 * request to its $defs entries — headers, query, JSON body — and checks them with Ajv, as the
 * other adapters check their networks' own documents. Unknown routes are left to the fake.
 */

interface Operation {
  method: string;
  path: RegExp;
  name: string;
  headers?: string;
  query?: string;
  body?: string;
  /** Form bodies (the token endpoint) are folded to JSON before the check. */
  form?: boolean;
  /** Rest.li actions share a path: ?action= picks the operation. */
  action?: string;
}

const operations: Operation[] = [
  { method: 'GET', path: /^\/oauth\/v2\/authorization$/, name: 'GET /oauth/v2/authorization', query: 'authorizeQuery' },
  { method: 'POST', path: /^\/oauth\/v2\/accessToken$/, name: 'POST /oauth/v2/accessToken', body: 'tokenRequest', form: true },
  { method: 'GET', path: /^\/v2\/userinfo$/, name: 'GET /v2/userinfo', headers: 'bearerHeaders' },
  { method: 'GET', path: /^\/rest\/organizationAcls$/, name: 'GET /rest/organizationAcls', headers: 'restHeaders', query: 'organizationAclsQuery' },
  { method: 'GET', path: /^\/rest\/organizations\/\d+$/, name: 'GET /rest/organizations/{id}', headers: 'restHeaders' },
  { method: 'POST', path: /^\/rest\/images$/, name: 'POST /rest/images?action=initializeUpload', headers: 'restHeaders', query: 'imageInitializeQuery', body: 'imageInitialize' },
  { method: 'POST', path: /^\/rest\/videos$/, action: 'initializeUpload', name: 'POST /rest/videos?action=initializeUpload', headers: 'restHeaders', query: 'videoActionQuery', body: 'videoInitialize' },
  { method: 'POST', path: /^\/rest\/videos$/, action: 'finalizeUpload', name: 'POST /rest/videos?action=finalizeUpload', headers: 'restHeaders', query: 'videoActionQuery', body: 'videoFinalize' },
  { method: 'POST', path: /^\/rest\/videos$/, name: 'POST /rest/videos', headers: 'restHeaders', query: 'videoActionQuery' },
  { method: 'GET', path: /^\/rest\/videos\/[^/]+$/, name: 'GET /rest/videos/{urn}', headers: 'restHeaders' },
  { method: 'POST', path: /^\/rest\/posts$/, name: 'POST /rest/posts', headers: 'restHeaders', body: 'postCreate' },
  { method: 'GET', path: /^\/rest\/posts$/, name: 'GET /rest/posts?q=author', headers: 'restHeaders', query: 'postsByAuthorQuery' },
  { method: 'DELETE', path: /^\/rest\/posts\/[^/]+$/, name: 'DELETE /rest/posts/{urn}', headers: 'deleteHeaders' },
  { method: 'POST', path: /^\/rest\/socialActions\/[^/]+\/comments$/, name: 'POST /rest/socialActions/{urn}/comments', headers: 'restHeaders', body: 'commentCreate' },
  { method: 'GET', path: /^\/rest\/socialActions\/[^/]+\/comments$/, name: 'GET /rest/socialActions/{urn}/comments', headers: 'restHeaders', query: 'commentsQuery' },
  { method: 'GET', path: /^\/rest\/socialActions\/[^/]+$/, name: 'GET /rest/socialActions/{urn}', headers: 'restHeaders' },
];

const SCHEMA_ID = 'https://specs.outpost.test/linkedin-posts.schema.json';

export function linkedInSpec(): RequestValidator {
  // JSON bodies are checked as sent; query values arrive as strings and are coerced as Rest.li would.
  const exact = makeAjv('2020', false);
  const coercing = makeAjv('2020', true);
  const schema = readSpec<Record<string, unknown>>('linkedin-posts.schema.json');
  exact.addSchema(schema);
  coercing.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  const validatorOf = (def: string, coerce: boolean): ValidateFunction => {
    const key = `${coerce ? 'c' : 'e'}:${def}`;
    let fn = compiled.get(key);
    if (!fn) {
      fn = (coerce ? coercing : exact).getSchema(`${SCHEMA_ID}#/$defs/${def}`);
      if (!fn) throw new Error(`linkedin-posts.schema.json has no $defs/${def}`);
      compiled.set(key, fn);
    }
    return fn;
  };
  const run = (def: string, value: unknown, coerce: boolean, where: string): SpecViolation[] => {
    const validate = validatorOf(def, coerce);
    if (validate(value)) return [];
    return describeErrors(validate.errors).map((line) => ({ message: `${where} ${line}`, refused: true }));
  };

  return {
    warm(names) {
      for (const op of operations.filter((o) => names.includes(o.name))) for (const def of [op.headers, op.body]) if (def) validatorOf(def, false);
    },
    check(req: FakeRequest): SpecCheck {
      const op = operations.find((o) => o.method === req.method && o.path.test(req.path) && (!o.action || req.query.get('action') === o.action));
      if (!op) return noOperation();
      const query: Record<string, unknown> = Object.fromEntries(req.query.entries());
      const violations: SpecViolation[] = [];
      if (op.headers) {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => typeof v === 'string'));
        violations.push(...run(op.headers, headers, false, 'headers'));
      }
      if (op.query) violations.push(...run(op.query, query, true, 'query'));
      let body: Record<string, unknown> | undefined;
      if (op.body) {
        if (op.form) {
          body = req.body.type === 'urlencoded' ? Object.fromEntries(req.body.fields) : undefined;
          if (!body) violations.push({ message: 'body must be application/x-www-form-urlencoded', refused: true });
        } else {
          body = req.body.type === 'json' && typeof req.body.json === 'object' && req.body.json !== null ? (req.body.json as Record<string, unknown>) : undefined;
          if (!body) violations.push({ message: 'body must be a JSON object', refused: true });
        }
        if (body) violations.push(...run(op.body, body, false, 'body'));
      }
      return { operation: op.name, path: {}, query, body, violations };
    },
  };
}
