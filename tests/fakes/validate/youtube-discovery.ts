import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, isRecord, makeAjv, noOperation, readSpec, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * YouTube Data API v3 requests checked against Google's own Discovery document
 * (specs/youtube-v3-discovery.json; provenance in SOURCES.json). Discovery schemas are JSON
 * Schema draft-03 with bare `$ref` names; they are turned into draft-07 here (refs into
 * `definitions`, unknown properties refused as Google's JSON parser refuses them: "Unknown name").
 * Query parameters are typed by the method's and the document's global `parameters` (repeated
 * ones as comma lists, min/max, enums, required). The resumable upload's session PUTs and the
 * OAuth token endpoint are outside the document: the fake checks those by the protocol guides.
 */

interface DiscoveryParameter {
  type: string;
  location: string;
  required?: boolean;
  repeated?: boolean;
  enum?: string[];
  minimum?: string;
  maximum?: string;
  format?: string;
}

interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  path: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  mediaUpload?: { accept: string[]; maxSize: string; protocols: Record<string, { path: string }> };
  annotations?: unknown;
}

interface Discovery {
  parameters: Record<string, DiscoveryParameter>;
  schemas: Record<string, Record<string, unknown>>;
  resources: Record<string, { methods: Record<string, DiscoveryMethod> }>;
}

/** The calls the connector makes, by the document's method ids; `upload` routes go to the media path. */
const ROUTES: { method: string; path: string; id: string; upload?: boolean }[] = [
  { method: 'POST', path: '/upload/youtube/v3/videos', id: 'youtube.videos.insert', upload: true },
  { method: 'GET', path: '/youtube/v3/videos', id: 'youtube.videos.list' },
  { method: 'PUT', path: '/youtube/v3/videos', id: 'youtube.videos.update' },
  { method: 'DELETE', path: '/youtube/v3/videos', id: 'youtube.videos.delete' },
  { method: 'POST', path: '/upload/youtube/v3/thumbnails/set', id: 'youtube.thumbnails.set', upload: true },
  { method: 'GET', path: '/youtube/v3/channels', id: 'youtube.channels.list' },
  { method: 'GET', path: '/youtube/v3/playlistItems', id: 'youtube.playlistItems.list' },
];

/** Discovery → draft-07: `$ref: "Video"` → `#/definitions/Video`; objects without a map refuse unknown names. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // Property names are data, not keywords ("description", "id" are fields of VideoSnippet and Video).
    if (key === 'properties' && isRecord(value)) {
      out['properties'] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, toJsonSchema(schema)]));
      continue;
    }
    if (key === 'description' || key === 'annotations' || key === 'id' || key === 'enumDescriptions' || key === 'readOnly') continue;
    if (key === '$ref' && typeof value === 'string') out['$ref'] = `#/definitions/${value}`;
    else if (key === 'format' && (value === 'uint64' || value === 'int64' || value === 'uint32' || value === 'int32' || value === 'double' || value === 'byte')) continue;
    else if (key === 'type' && value === 'any') continue;
    else out[key] = toJsonSchema(value);
  }
  if (out['type'] === 'object' && isRecord(out['properties']) && out['additionalProperties'] === undefined) out['additionalProperties'] = false;
  return out;
}

function methodById(doc: Discovery, id: string): DiscoveryMethod {
  const [, resource, name] = id.split('.');
  const method = doc.resources[resource!]?.methods[name!];
  if (!method) throw new Error(`youtube-v3-discovery.json has no method ${id}`);
  return method;
}

/** One query value by the parameter's type; the reason it is wrong, or undefined. */
function parameterProblem(name: string, value: string, spec: DiscoveryParameter): string | undefined {
  const values = spec.repeated ? value.split(',') : [value];
  for (const one of values) {
    if (spec.enum && !spec.enum.includes(one)) return `query ${name}=${one} must be one of ${spec.enum.join(', ')}`;
    if (spec.type === 'boolean' && one !== 'true' && one !== 'false') return `query ${name}=${one} must be true or false`;
    if (spec.type === 'integer') {
      if (!/^-?\d+$/.test(one)) return `query ${name}=${one} must be an integer`;
      const n = Number(one);
      if (spec.minimum !== undefined && n < Number(spec.minimum)) return `query ${name}=${one} must be at least ${spec.minimum}`;
      if (spec.maximum !== undefined && n > Number(spec.maximum)) return `query ${name}=${one} must be at most ${spec.maximum}`;
    }
    if (spec.type === 'string' && one === '' && spec.required) return `query ${name} must not be empty`;
  }
  return undefined;
}

export function youtubeDiscoverySpec(): RequestValidator {
  const doc = readSpec<Discovery>('youtube-v3-discovery.json');
  const ajv = makeAjv('draft-07', false, { 'google-datetime': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/ });
  const definitions = Object.fromEntries(Object.entries(doc.schemas).map(([name, schema]) => [name, toJsonSchema(schema)]));
  ajv.addSchema({ $id: 'youtube', definitions });
  const compiled = new Map<string, ValidateFunction>();
  const bodyValidator = (ref: string): ValidateFunction => {
    let fn = compiled.get(ref);
    if (!fn) {
      fn = ajv.getSchema(`youtube#/definitions/${ref}`);
      if (!fn) throw new Error(`youtube-v3-discovery.json has no schema ${ref}`);
      compiled.set(ref, fn);
    }
    return fn;
  };

  return {
    warm(names) {
      for (const route of ROUTES.filter((r) => names.includes(r.id))) {
        const ref = methodById(doc, route.id).request?.$ref;
        if (ref) bodyValidator(ref);
      }
    },
    check(req: FakeRequest): SpecCheck {
      const route = ROUTES.find((r) => r.method === req.method && r.path === req.path);
      if (!route) return noOperation();
      const method = methodById(doc, route.id);
      const violations: SpecViolation[] = [];
      const parameters = { ...doc.parameters, ...method.parameters };
      const query: Record<string, unknown> = {};
      for (const [name, value] of req.query.entries()) {
        const spec = parameters[name];
        if (!spec || spec.location !== 'query') {
          violations.push({ message: `query ${name} is not a parameter of ${method.id}`, refused: true });
          continue;
        }
        query[name] = value;
        const problem = parameterProblem(name, value, spec);
        if (problem) violations.push({ message: problem, refused: true });
      }
      for (const [name, spec] of Object.entries(method.parameters ?? {})) {
        if (spec.required && spec.location === 'query' && !req.query.has(name)) violations.push({ message: `query ${name} is required by ${method.id}`, refused: true });
      }
      if (route.upload && !method.mediaUpload) violations.push({ message: `${method.id} takes no media`, refused: true });
      let body: Record<string, unknown> | undefined;
      // The resumable start and videos.update carry the resource as JSON; thumbnails.set carries only the image.
      const carriesResource = method.request !== undefined && !(route.upload && req.query.get('uploadType') === 'media');
      if (carriesResource) {
        body = req.body.type === 'json' && isRecord(req.body.json) ? req.body.json : undefined;
        if (!body) violations.push({ message: `body must be a JSON ${method.request!.$ref} resource`, refused: true });
        else {
          const validate = bodyValidator(method.request!.$ref);
          if (!validate(body)) violations.push(...describeErrors(validate.errors).map((line) => ({ message: `body ${line}`, refused: true })));
        }
      } else if (route.upload) {
        const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim();
        const accepted = method.mediaUpload?.accept ?? [];
        const ok = accepted.some((pattern) => pattern === type || (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))));
        if (!ok) violations.push({ message: `media Content-Type ${type || '(none)'} is not one of ${accepted.join(', ')}`, refused: true });
        if (method.mediaUpload && req.body.raw.length > Number(method.mediaUpload.maxSize)) violations.push({ message: `media is larger than ${method.mediaUpload.maxSize} bytes`, refused: true });
      }
      return { operation: method.id, path: {}, query, body, violations };
    },
  };
}
