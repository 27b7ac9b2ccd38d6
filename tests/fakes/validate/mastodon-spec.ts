import { openApiValidator, type OpenApiDocument } from './openapi';
import { readSpec, type RequestValidator } from './spec';

/**
 * The Mastodon API as abraham/mastodon-openapi describes it (specs/mastodon-openapi.json), with the
 * few places where it is stricter than Mastodon's own documentation corrected here, in code, so the
 * copied file stays byte-identical. README of the specs: "where it differs from the docs, the docs win".
 */
const ERRATA: Array<{ why: string; apply: (doc: OpenApiDocument) => void }> = [
  {
    why: 'POST /api/v1/statuses: the body is oneOf TextStatus / MediaStatus / PollStatus, but text with media fits two of them; the docs allow text with media',
    apply: (doc) => {
      const body = bodySchema(doc, '/api/v1/statuses', 'post', 'application/json');
      body['anyOf'] = body['oneOf'];
      delete body['oneOf'];
    },
  },
  {
    why: 'POST /api/v1/apps: redirect_uris is "String or Array of Strings" in the docs (one URI is sent as a string); the spec allows only the array',
    apply: (doc) => {
      const properties = bodySchema(doc, '/api/v1/apps', 'post', 'application/json')['properties'] as Record<string, unknown>;
      const list = properties['redirect_uris'];
      properties['redirect_uris'] = { anyOf: [list, { type: 'string' }] };
    },
  },
];

function bodySchema(doc: OpenApiDocument, path: string, method: string, mediaType: string): Record<string, unknown> {
  const operation = doc.paths[path]![method] as { requestBody: { content: Record<string, { schema: Record<string, unknown> }> } };
  return operation.requestBody.content[mediaType]!.schema;
}

/** Space-separated OAuth scopes, as Mastodon's `scopes` format means. */
const SCOPES_FORMAT = /^[a-z]+(:[a-z_]+)?( [a-z]+(:[a-z_]+)?)*$/;

let validator: RequestValidator | undefined;

/** One validator per process: the document is 1.4 MB and Ajv compiles operations lazily. */
export function mastodonSpec(): RequestValidator {
  if (!validator) {
    const doc = readSpec<OpenApiDocument>('mastodon-openapi.json');
    for (const erratum of ERRATA) erratum.apply(doc);
    validator = openApiValidator(doc, { id: 'https://specs.outpost.test/mastodon-openapi.json', formats: { scopes: SCOPES_FORMAT } });
  }
  return validator;
}
