import type { ValidateFunction } from 'ajv';
import type { FakeRequest } from '../fake-server';
import { describeErrors, isRecord, makeAjv, noOperation, readSpec, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * The Bot API as PaulSonOfLars/telegram-bot-api-spec describes it (specs/telegram-bot-api.json):
 * methods with fields `{name, types, required}` and types with fields or subtypes. It is not
 * OpenAPI, so this adapter turns it into JSON Schema (Integer → integer, `Array of X`, a type name →
 * its object, several types → anyOf) and checks each call's parameters by name, type and required.
 *
 * On the wire every parameter may be a string (query, urlencoded, multipart): objects and arrays are
 * JSON-serialized and numbers are digits, as the Bot API reads them; JSON bodies carry real values.
 * Both are read to the same typed parameters here. A file part named after a parameter is that
 * parameter (`photo`); parts the call refers to with `attach://name` are not parameters.
 */

interface Field {
  name: string;
  types: string[];
  required: boolean;
  description: string;
}

interface BotApiSpec {
  version: string;
  methods: Record<string, { name: string; fields?: Field[] }>;
  types: Record<string, { name: string; fields?: Field[]; subtypes?: string[] }>;
}

type Schema = Record<string, unknown>;

const PRIMITIVES: Record<string, Schema> = {
  Integer: { type: 'integer' },
  Float: { type: 'number' },
  String: { type: 'string' },
  Boolean: { type: 'boolean' },
  True: { const: true },
  // A file part or, where the spec also allows it, a string (file_id, URL): both arrive as strings here.
  InputFile: { type: 'string' },
};

const ID = 'https://specs.outpost.test/telegram-bot-api.json';

function schemaOf(type: string): Schema {
  if (type.startsWith('Array of ')) return { type: 'array', items: schemaOf(type.slice('Array of '.length)) };
  return PRIMITIVES[type] ?? { $ref: `${ID}#/$defs/${type}` };
}

function fieldSchema(field: Field): Schema {
  // "Type of the media, must be photo": the spec's own words pin a discriminator.
  const pinned = field.name === 'type' ? /must be (\w+)$/.exec(field.description)?.[1] : undefined;
  if (pinned) return { const: pinned };
  // The Bot API's "Array of InputMediaPhoto and InputMediaVideo" is one array of either (an album mixes photos and videos); the spec lists each apart.
  if (field.types.length > 1 && field.types.every((t) => t.startsWith('Array of '))) {
    return { type: 'array', items: { anyOf: field.types.map((t) => schemaOf(t.slice('Array of '.length))) } };
  }
  const options = field.types.map(schemaOf);
  return options.length === 1 ? options[0]! : { anyOf: options };
}

function objectSchema(fields: Field[]): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])),
    required: fields.filter((f) => f.required).map((f) => f.name),
  };
}

/** Whether a field can only be an object or array, so a string on the wire is JSON to parse. */
function isStructured(field: Field): boolean {
  return field.types.every((t) => t.startsWith('Array of ') || !(t in PRIMITIVES));
}

export interface TelegramSpec extends RequestValidator {
  /** Bot API version of the spec file. */
  version: string;
  /** The typed parameters of a call, or violations: for a call already split into method and parameters. */
  checkCall(method: string, params: Record<string, unknown>, fileParts: string[]): SpecCheck;
}

let cached: TelegramSpec | undefined;

/** `/bot<token>/<method>` */
const PATH_SHAPE = /^\/bot([^/]+)\/([A-Za-z]+)$/;

export function telegramSpec(): TelegramSpec {
  if (cached) return cached;
  const spec = readSpec<BotApiSpec>('telegram-bot-api.json');
  const defs: Record<string, Schema> = {};
  for (const type of Object.values(spec.types)) {
    defs[type.name] = type.subtypes ? { anyOf: type.subtypes.map(schemaOf) } : type.fields ? objectSchema(type.fields) : { type: 'object' };
  }
  const ajv = makeAjv('2020', true);
  ajv.addSchema({ $id: ID, $defs: defs });
  const validators = new Map<string, ValidateFunction>();

  function validatorOf(method: string): ValidateFunction {
    let validate = validators.get(method);
    if (!validate) {
      validate = ajv.compile(objectSchema(spec.methods[method]?.fields ?? []));
      validators.set(method, validate);
    }
    return validate;
  }

  function checkCall(method: string, raw: Record<string, unknown>, fileParts: string[]): SpecCheck {
    const definition = spec.methods[method];
    if (!definition) return noOperation();
    const fields = definition.fields ?? [];
    const violations: SpecViolation[] = [];
    const params: Record<string, unknown> = {};
    const known = new Map(fields.map((f) => [f.name, f]));
    for (const [name, value] of Object.entries(raw)) {
      const field = known.get(name);
      if (!field) {
        // The Bot API ignores unknown parameters; a misspelt one is a silent bug.
        violations.push({ message: `unexpected parameter "${name}"`, refused: false });
        continue;
      }
      if (typeof value === 'string' && isStructured(field)) {
        try {
          params[name] = JSON.parse(value);
        } catch {
          violations.push({ message: `${name} is not JSON`, refused: true });
          params[name] = value;
        }
      } else {
        params[name] = value;
      }
    }
    for (const name of fileParts) if (known.has(name) && params[name] === undefined) params[name] = `attach://${name}`;
    // An empty string is how a form says "not given" for the Bot API.
    for (const [name, value] of Object.entries(params)) if (value === '') delete params[name];
    const validate = validatorOf(method);
    if (!validate(params)) violations.push(...describeErrors(validate.errors).map((message) => ({ message, refused: true })));
    return { operation: method, path: {}, query: {}, body: params, violations };
  }

  cached = {
    version: spec.version,
    checkCall,
    warm: (methods) => methods.forEach(validatorOf),
    check(req: FakeRequest): SpecCheck {
      const method = PATH_SHAPE.exec(req.path)?.[2];
      if (!method) return noOperation();
      const raw: Record<string, unknown> = Object.fromEntries(req.query);
      if (req.body.type === 'json' && isRecord(req.body.json)) Object.assign(raw, req.body.json);
      for (const [name, value] of req.body.fields) raw[name] = value;
      return checkCall(method, raw, req.body.files.map(([name]) => name));
    },
  };
  return cached;
}
