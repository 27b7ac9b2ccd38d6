import { randomBytes } from 'node:crypto';
import { fieldOf, startFakeServer, type FakeRequest, type FakeResponse, type FakeServer, type NetworkAnswers } from './fake-server';
import { openApiValidator, type OpenApiDocument } from './validate/openapi';
import { isRecord, readSpec, type RequestValidator, type SpecCheck } from './validate/spec';

/**
 * A loopback Discord for channel webhooks (CONTRACTS.md §12), every request checked against
 * Discord's own OpenAPI document (specs/discord-openapi.json, discord/discord-api-spec) with Ajv:
 * JSON bodies as they are; multipart ones by their `payload_json` part, parsed and checked against
 * the same operation, then each `attachments[i].id` matched to a `files[i]` part (the specs README:
 * the document does not model `payload_json` + `files[n]`).
 *
 * What it does as Discord does: execute (with `wait=true` the Message, without it 204), forum
 * channels that refuse a message without `thread_name` (code 220001) and open a thread per post,
 * get / delete messages, the webhook's own description, Unknown Webhook after the user deletes it,
 * 429 with `retry_after` and the X-RateLimit-* headers, and the common faults (5xx after handling,
 * lost answers, hangs) through `server.faults`.
 */

export interface FakeDiscordWebhook {
  id: string;
  token: string;
  name: string;
  channelId: string;
  guildId: string;
  /** A forum channel: each message must open a thread. */
  forum: boolean;
  deleted: boolean;
  /** The address the user copies from Discord's channel settings (pointing at this fake). */
  url: string;
}

export interface FakeDiscordMessage {
  id: string;
  webhookId: string;
  /** The channel it is in: the webhook's, or the thread it opened in a forum. */
  channelId: string;
  content: string;
  username: string | undefined;
  avatarUrl: string | undefined;
  threadName: string | undefined;
  files: Array<{ filename: string; description: string | undefined; contentType: string | undefined; bytes: number }>;
  allowedMentions: unknown;
  /** The rich embeds sent (a link card), as Discord keeps them. */
  embeds: Array<Record<string, unknown>>;
  /** Message flags sent (4: SUPPRESS_EMBEDS). */
  flags: number;
  /** When it was last edited through the webhook (PATCH). */
  editedAt?: number;
  timestamp: number;
  deleted: boolean;
}

export interface DiscordFake {
  baseUrl: string;
  server: FakeServer;
  messages: FakeDiscordMessage[];
  violations: string[];
  addWebhook(options?: { name?: string; forum?: boolean }): FakeDiscordWebhook;
  /** The user deletes the webhook in Discord (or resets its token). */
  deleteWebhook(webhook: FakeDiscordWebhook): void;
  /** The next `count` executes get a 429 asking for this wait. */
  rateLimitNext(retryAfterMs: number, count?: number): void;
  /** Messages a webhook posted and nobody deleted, oldest first. */
  live(webhook: FakeDiscordWebhook): FakeDiscordMessage[];
  close(): Promise<void>;
}

const WEBHOOK_PATH = /^\/webhooks\/(\d+)\/([\w-]+)(?:\/messages\/(\d+))?$/;

/** Discord's epoch (2015-01-01) and snowflake layout: time in the top bits, so ids sort by time. */
function snowflake(now: number, sequence: number): string {
  return ((BigInt(now - 1_420_070_400_000) << 22n) | BigInt(sequence & 0xfff)).toString();
}

let validator: RequestValidator | undefined;

function discordSpec(): RequestValidator {
  validator ??= openApiValidator(readSpec<OpenApiDocument>('discord-openapi.json'), {
    id: 'https://specs.outpost.test/discord-openapi.json',
    formats: { snowflake: /^(0|[1-9][0-9]*)$/, nonce: true },
  });
  return validator;
}

/** Multipart requests are checked by their `payload_json`, as the same operation's JSON body. */
function webhookValidator(): RequestValidator {
  const inner = discordSpec();
  return {
    warm: (operations) => inner.warm(operations),
    check(req: FakeRequest): SpecCheck {
      if (req.body.type !== 'multipart') return inner.check(req);
      const text = fieldOf(req.body, 'payload_json');
      let json: unknown;
      try {
        json = text === undefined ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      const check = inner.check({ ...req, body: { ...req.body, type: 'json', json: json ?? {}, fields: [], files: [] } });
      const violations = [...check.violations];
      if (json === undefined) violations.push({ message: 'multipart body without a JSON payload_json part', refused: true });
      const extra = req.body.fields.filter(([name]) => name !== 'payload_json').map(([name]) => name);
      for (const name of extra) violations.push({ message: `unexpected form field "${name}" (everything but files goes in payload_json)`, refused: false });
      const attachments = isRecord(json) && Array.isArray(json['attachments']) ? (json['attachments'] as unknown[]) : [];
      req.body.files.forEach(([name], i) => {
        if (name !== `files[${i}]`) violations.push({ message: `file part "${name}" should be files[${i}]`, refused: true });
        const described = attachments.find((a) => isRecord(a) && String(a['id']) === String(i));
        if (!described) violations.push({ message: `files[${i}] has no attachments entry with id ${i}`, refused: true });
      });
      return { ...check, violations };
    },
  };
}

const answers: NetworkAnswers = {
  rateLimited: (retryAfterMs) => ({
    status: 429,
    json: { message: 'You are being rate limited.', retry_after: retryAfterMs / 1000, global: false },
    headers: {
      'retry-after': String(Math.ceil(retryAfterMs / 1000)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset-after': (retryAfterMs / 1000).toFixed(3),
      'x-ratelimit-bucket': 'fake-bucket',
      'x-ratelimit-scope': 'user',
    },
  }),
  serverError: (status) =>
    status === 502
      ? { status, text: '<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>', headers: { 'content-type': 'text/html' } }
      : { status, json: { message: '500: Internal Server Error', code: 0 } },
  refused: (messages) => ({ status: 400, json: { code: 50035, message: 'Invalid Form Body', errors: { _errors: messages.map((message) => ({ code: 'INVALID', message })) } } }),
};

export async function startDiscordFake(options: { now?: () => number } = {}): Promise<DiscordFake> {
  const now = options.now ?? Date.now;
  const webhooks = new Map<string, FakeDiscordWebhook>();
  const messages: FakeDiscordMessage[] = [];
  let sequence = 0;

  const spec = webhookValidator();
  spec.warm(['POST /webhooks/{webhook_id}/{webhook_token}', 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}', 'DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}']);
  const server = await startFakeServer(handle, {
    name: 'Discord fake',
    validator: spec,
    answers,
    // The path carries the webhook's token; a violation names the route only.
    label: (req) => `${req.method} ${req.path.replace(/\/webhooks\/(\d+)\/[\w-]+/, '/webhooks/$1/<token>')}`,
  });

  const error = (status: number, code: number, message: string): FakeResponse => ({ status, json: { code, message } });

  function messageJson(message: FakeDiscordMessage, webhook: FakeDiscordWebhook): Record<string, unknown> {
    return {
      type: 0,
      id: message.id,
      channel_id: message.channelId,
      content: message.content,
      author: { id: webhook.id, username: message.username ?? webhook.name, avatar: null, discriminator: '0000', public_flags: 0, flags: 0, bot: true, global_name: null },
      attachments: message.files.map((file, i) => ({
        id: snowflake(message.timestamp, i),
        filename: file.filename,
        size: file.bytes,
        url: `https://cdn.discordapp.com/attachments/${message.channelId}/${message.id}/${file.filename}`,
        proxy_url: `https://media.discordapp.net/attachments/${message.channelId}/${message.id}/${file.filename}`,
        ...(file.description ? { description: file.description } : {}),
        ...(file.contentType ? { content_type: file.contentType } : {}),
      })),
      embeds: message.embeds.map((embed) => ({ type: 'rich', ...embed })),
      mentions: [],
      mention_roles: [],
      pinned: false,
      mention_everyone: false,
      tts: false,
      timestamp: new Date(message.timestamp).toISOString(),
      edited_timestamp: null,
      flags: message.flags,
      components: [],
      webhook_id: webhook.id,
    };
  }

  function handle(req: FakeRequest): FakeResponse {
    const match = WEBHOOK_PATH.exec(req.path);
    if (!match) return error(404, 0, '404: Not Found');
    const webhook = webhooks.get(match[1]!);
    if (!webhook || webhook.deleted) return error(404, 10015, 'Unknown Webhook');
    if (webhook.token !== match[2]) return error(401, 50027, 'Invalid Webhook Token');
    if (req.headers.authorization) server.violate(req, 'a webhook call needs no Authorization header (the token is in the path)', false);
    const refusal = server.refusal(req);
    if (refusal) return refusal;
    const messageId = match[3];

    if (!messageId && req.method === 'GET') {
      return { status: 200, json: { id: webhook.id, type: 1, name: webhook.name, avatar: null, channel_id: webhook.channelId, guild_id: webhook.guildId, application_id: null, token: webhook.token } };
    }
    if (!messageId && req.method === 'POST') return execute(req, webhook);
    if (messageId && req.method === 'DELETE') {
      const threadId = req.query.get('thread_id');
      const message = messages.find((m) => m.id === messageId && m.webhookId === webhook.id && !m.deleted);
      // A message in a thread is found only with that thread's id.
      if (!message || (message.channelId !== webhook.channelId && message.channelId !== threadId)) return error(404, 10008, 'Unknown Message');
      message.deleted = true;
      return { status: 204 };
    }
    if (messageId && req.method === 'PATCH') {
      const threadId = req.query.get('thread_id');
      const message = messages.find((m) => m.id === messageId && m.webhookId === webhook.id && !m.deleted);
      if (!message || (message.channelId !== webhook.channelId && message.channelId !== threadId)) return error(404, 10008, 'Unknown Message');
      const payload = (req.spec?.body ?? {}) as Record<string, unknown>;
      // Only what is sent changes (webhook.mdx, Edit Webhook Message): files and embeds stay unless named.
      if (typeof payload['content'] === 'string') {
        if (payload['content'].trim() === '' && message.files.length === 0 && message.embeds.length === 0) return error(400, 50006, 'Cannot send an empty message');
        message.content = payload['content'];
      }
      message.editedAt = now();
      return { status: 200, json: { ...messageJson(message, webhook), edited_timestamp: new Date(message.editedAt).toISOString() } };
    }
    if (messageId && req.method === 'GET') {
      const message = messages.find((m) => m.id === messageId && m.webhookId === webhook.id && !m.deleted);
      return message ? { status: 200, json: messageJson(message, webhook) } : error(404, 10008, 'Unknown Message');
    }
    return error(405, 0, '405: Method Not Allowed');
  }

  function execute(req: FakeRequest, webhook: FakeDiscordWebhook): FakeResponse {
    const payload = (req.spec?.body ?? {}) as Record<string, unknown>;
    const content = typeof payload['content'] === 'string' ? payload['content'] : '';
    const threadName = typeof payload['thread_name'] === 'string' ? payload['thread_name'] : undefined;
    const described = Array.isArray(payload['attachments']) ? (payload['attachments'] as Array<Record<string, unknown>>) : [];
    if (content.trim() === '' && req.body.files.length === 0) return error(400, 50006, 'Cannot send an empty message');
    if (webhook.forum && !threadName && !req.query.get('thread_id')) return error(400, 220001, 'Webhooks posted to forum channels must have a thread_name or thread_id');
    const embeds = Array.isArray(payload['embeds']) ? (payload['embeds'] as Array<Record<string, unknown>>) : [];
    // An embed's picture named attachment://x must be one of this message's files (Discord shows none otherwise).
    const fileNames = described.map((a) => a['filename']);
    for (const embed of embeds) {
      const url = (embed['image'] as { url?: unknown } | undefined)?.url;
      if (typeof url === 'string' && url.startsWith('attachment://') && !fileNames.includes(url.slice('attachment://'.length))) {
        server.violate(req, `embed image ${url} names no attached file`, false);
      }
    }
    const timestamp = now();
    const id = snowflake(timestamp, ++sequence);
    const message: FakeDiscordMessage = {
      id,
      webhookId: webhook.id,
      // A forum post opens a thread whose id is its first message's.
      channelId: webhook.forum ? id : webhook.channelId,
      content,
      username: typeof payload['username'] === 'string' ? payload['username'] : undefined,
      avatarUrl: typeof payload['avatar_url'] === 'string' ? payload['avatar_url'] : undefined,
      threadName,
      files: req.body.files.map(([, file], i) => {
        const entry = described.find((a) => String(a['id']) === String(i));
        return {
          filename: typeof entry?.['filename'] === 'string' ? entry['filename'] : file.fileName,
          description: typeof entry?.['description'] === 'string' ? entry['description'] : undefined,
          contentType: file.contentType,
          bytes: file.bytes.length,
        };
      }),
      allowedMentions: payload['allowed_mentions'],
      embeds,
      flags: typeof payload['flags'] === 'number' ? payload['flags'] : 0,
      timestamp,
      deleted: false,
    };
    messages.push(message);
    if (req.query.get('wait') !== 'true') return { status: 204 };
    return { status: 200, json: messageJson(message, webhook) };
  }

  return {
    baseUrl: server.baseUrl,
    server,
    messages,
    violations: server.violations,
    addWebhook(opts = {}) {
      const id = snowflake(now(), ++sequence);
      const webhook: FakeDiscordWebhook = {
        id,
        token: randomBytes(48).toString('base64url'),
        name: opts.name ?? 'Outpost',
        channelId: snowflake(now(), ++sequence),
        guildId: snowflake(now(), ++sequence),
        forum: opts.forum ?? false,
        deleted: false,
        url: '',
      };
      webhook.url = `https://discord.com/api/webhooks/${webhook.id}/${webhook.token}`;
      webhooks.set(id, webhook);
      return webhook;
    },
    deleteWebhook(webhook) {
      webhook.deleted = true;
    },
    rateLimitNext(retryAfterMs, count = 1) {
      server.faults.next(server.fault({ kind: 'rate_limited', retryAfterMs }), count, (req) => req.method === 'POST');
    },
    live: (webhook) => messages.filter((m) => m.webhookId === webhook.id && !m.deleted),
    close: () => server.close(),
  };
}
