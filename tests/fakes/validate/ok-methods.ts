import type { FakeRequest } from '../fake-server';
import { isRecord, noOperation, type RequestValidator, type SpecCheck, type SpecViolation } from './spec';

/**
 * OK (Odnoklassniki) has no machine-readable spec (shared/networks/specs/README.md), so this is a
 * hand-written parameter table, one entry per method the connector and the sign-in call, copied
 * from the method pages on apiok.ru (dev/methods/rest/<group>/<method>): each parameter's name,
 * whether it is required, and its type. The fake checks every /fb.do call against it; the
 * signature is the fake's own check (it needs the app's secret key).
 *
 * Common parameters of every REST call (apiok.ru/dev/methods/): application_key, method, format,
 * sig, access_token (or session_key); sig is computed over everything but itself and access_token.
 */

type ParamType = 'String' | 'String[]' | 'Integer' | 'Long' | 'Long[]' | 'Boolean' | 'Attachment' | 'FieldSets' | 'Enum';

interface ParamRule {
  required: boolean;
  type: ParamType;
  values?: readonly string[];
}

type MethodTable = Record<string, Record<string, ParamRule>>;

const optional = (type: ParamType, values?: readonly string[]): ParamRule => ({ required: false, type, ...(values ? { values } : {}) });
const required = (type: ParamType): ParamRule => ({ required: true, type });

/** apiok.ru/dev/methods/rest/… — one entry per page. */
export const OK_METHODS: MethodTable = {
  // users/users.getCurrentUser
  'users.getCurrentUser': { fields: optional('FieldSets') },
  // group/group.getUserGroupsV2
  'group.getUserGroupsV2': { uid: optional('String'), anchor: optional('String'), direction: optional('Enum', ['AROUND', 'BACKWARD', 'FORWARD']), count: optional('Integer') },
  // group/group.getInfo
  'group.getInfo': { uids: required('String[]'), move_to_top: optional('Boolean'), fields: required('FieldSets') },
  // group/group.getUserGroupsByIds
  'group.getUserGroupsByIds': { group_id: required('String'), uids: required('String[]') },
  // photosV2/photosV2.getUploadUrl
  'photosV2.getUploadUrl': {
    uid: optional('String'),
    aid: optional('String'),
    gid: optional('String'),
    count: optional('Integer'),
    placeholders: optional('Boolean'),
    topicLink: optional('Boolean'),
    target_id: optional('String'),
    sizes: optional('Long[]'),
  },
  // mediatopic/mediatopic.post
  'mediatopic.post': {
    uid: optional('String'),
    type: optional('Enum', ['USER', 'USER_STATUS', 'USER_NOTE', 'GROUP_THEME', 'GROUP_THEME_PROMO', 'GROUP_SUGGESTED']),
    gid: optional('String'),
    attachment: required('Attachment'),
    set_status: optional('Boolean'),
    devices: optional('String[]'),
    text_link_preview: optional('Boolean'),
    hidden_post: optional('Boolean'),
    ads_post: optional('Boolean'),
  },
  // mediatopic.deleteTopic: no apiok.ru page in the stored docs; topic_id and gid as published OK clients send them ⚠
  'mediatopic.deleteTopic': { topic_id: required('String'), gid: optional('String') },
  // mediatopic/mediatopic.getByIds
  'mediatopic.getByIds': { topic_ids: required('String[]'), media_limit: optional('Integer'), fields: optional('FieldSets'), features: optional('String[]') },
  // group/group.getStatTopics
  'group.getStatTopics': { gid: required('String'), start_time: optional('Long'), end_time: optional('Long'), anchor: optional('String'), count: optional('Integer'), fields: optional('FieldSets') },
};

const COMMON = new Set(['application_key', 'method', 'format', 'sig', 'access_token', 'session_key']);

/** The attachment's media blocks (mediatopic.post, "Формат attachment") Outpost may send. */
const MEDIA_TYPES = new Set(['text', 'photo', 'link', 'poll', 'movie', 'music', 'app', 'place']);
/** Group-topic options of the attachment (mediatopic.post, "Параметры для публикации групповых тем"). */
const ATTACHMENT_KEYS = new Set(['media', 'publishAtMs', 'publishAt', 'onBehalfOfGroup', 'disableComments']);

/** Every form field of the request (OK takes the query too). */
export function okParams(req: FakeRequest): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of req.query) params[name] = value;
  for (const [name, value] of req.body.fields) params[name] = value;
  return params;
}

function checkType(name: string, value: string, rule: ParamRule, violations: SpecViolation[]): void {
  const refuse = (message: string) => violations.push({ message: `${name}: ${message}`, refused: true });
  switch (rule.type) {
    case 'Integer':
    case 'Long':
      if (!/^-?\d+$/.test(value)) refuse(`"${value}" is not an ${rule.type}`);
      break;
    case 'Long[]':
      if (!value.split(',').every((part) => /^\d+$/.test(part))) refuse(`"${value}" is not a comma-separated list of Long`);
      break;
    case 'Boolean':
      if (value !== 'true' && value !== 'false') refuse(`"${value}" is not a Boolean`);
      break;
    case 'Enum':
      if (!rule.values?.includes(value)) refuse(`"${value}" is not one of ${rule.values?.join(', ')}`);
      break;
    case 'Attachment':
      checkAttachment(value, refuse);
      break;
    default:
      if (value === '') refuse('is empty');
  }
}

function checkAttachment(value: string, refuse: (message: string) => void): void {
  let attachment: unknown;
  try {
    attachment = JSON.parse(value);
  } catch {
    return refuse('is not JSON');
  }
  if (!isRecord(attachment)) return refuse('is not a JSON object');
  for (const key of Object.keys(attachment)) if (!ATTACHMENT_KEYS.has(key)) refuse(`unknown attachment field "${key}"`);
  for (const flag of ['onBehalfOfGroup', 'disableComments'] as const) {
    if (attachment[flag] !== undefined && attachment[flag] !== 'true' && attachment[flag] !== 'false') refuse(`${flag} must be "true" or "false"`);
  }
  const media = attachment.media;
  if (!Array.isArray(media) || media.length === 0) return refuse('media must be a non-empty array');
  for (const block of media) {
    if (!isRecord(block) || typeof block.type !== 'string' || !MEDIA_TYPES.has(block.type)) {
      refuse(`unknown media block ${JSON.stringify(block)}`);
      continue;
    }
    if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) refuse('a text block needs text');
    if (block.type === 'link' && (typeof block.url !== 'string' || !/^https?:\/\//.test(block.url))) refuse('a link block needs an http(s) url');
    if (block.type === 'photo') {
      const list = block.list;
      if (!Array.isArray(list) || list.length === 0 || !list.every((item) => isRecord(item) && typeof item.id === 'string' && item.id !== '')) {
        refuse('a photo block needs list: [{id}]');
      }
    }
  }
}

/** The table as the fake kit's validator: `operation` is the REST method name. */
export function okMethodsSpec(): RequestValidator {
  return {
    warm: () => undefined,
    check(req: FakeRequest): SpecCheck {
      if (req.path !== '/fb.do') return noOperation();
      const params = okParams(req);
      const method = params.method;
      const table = method ? OK_METHODS[method] : undefined;
      if (!method || !table) return { ...noOperation(), body: params };
      const violations: SpecViolation[] = [];
      for (const [name, rule] of Object.entries(table)) {
        if (rule.required && params[name] === undefined) violations.push({ message: `${name}: required`, refused: true });
      }
      for (const [name, value] of Object.entries(params)) {
        if (COMMON.has(name)) continue;
        const rule = table[name];
        // OK ignores a parameter it does not know (but it is still signed).
        if (!rule) violations.push({ message: `${name}: not a parameter of ${method}`, refused: false });
        else checkType(name, value, rule, violations);
      }
      if (params.format !== undefined && params.format !== 'json') violations.push({ message: 'format: Outpost reads JSON only', refused: false });
      return { operation: method, path: {}, query: {}, body: params, violations };
    },
  };
}
