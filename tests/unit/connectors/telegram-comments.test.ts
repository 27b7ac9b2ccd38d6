import { afterEach, beforeEach, expect, it } from 'vitest';
import { ConnectorError } from '../../../main/core/connector';
import { createTelegramConnector, type TelegramContext } from '../../../main/services/connectors/telegram';
import { startTelegramFake, type FakeBot, type FakeChannel, type TelegramFake } from '../../fakes/telegram-fake';

/**
 * A Telegram post's first comment (issue 12 item 5): a reply in the channel's discussion group to
 * the copy Telegram forwards there, found through the bot's updates. The fake forwards channel
 * posts to a linked group, hands the copies out by getUpdates, and checks every call against the
 * Bot API spec.
 */

let connector: ReturnType<typeof createTelegramConnector>;
let tg: TelegramFake;
let bot: FakeBot;
let channel: FakeChannel;
let group: FakeChannel;

beforeEach(async () => {
  // A connector of its own per test: it remembers the copies it has seen.
  connector = createTelegramConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000 });
  tg = await startTelegramFake();
  bot = tg.addBot({ username: 'bakery_bot' });
  channel = tg.addChannel({ username: 'bakery_news', title: 'Bakery news' });
  group = tg.addChannel({ title: 'Bakery chat', type: 'supergroup' });
  tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
  tg.setMember(group, bot, { status: 'administrator' });
  tg.linkDiscussion(channel, group);
});

afterEach(async () => {
  await tg.close();
  expect(tg.violations).toEqual([]);
});

const ctx = (): TelegramContext => ({ baseUrl: tg.baseUrl, credentials: { botToken: bot.token }, config: { channel: '@bakery_news' }, fetch, now: Date.now });
const publish = (text: string) => connector.publish(ctx(), { text, media: [], idempotencyKey: `k-${text}` });

async function refusal(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  if (!(error instanceof ConnectorError)) throw new Error(`expected a ConnectorError, got ${String(error)}`);
  return error;
}

it('replies to the post’s copy in the discussion group, and links to the comment under the post', async () => {
  const earlier = await publish('Monday bread');
  const post = await publish('Tuesday croissants');
  const comment = await connector.comment(ctx(), post.remoteId, '  Order by 18:00 at bakery.example  ');

  const copies = tg.liveMessages(group).filter((m) => m.forwardOf);
  expect(copies.map((m) => m.forwardOf?.messageId)).toEqual([Number(earlier.remoteId), Number(post.remoteId)]);
  const reply = tg.liveMessages(group).find((m) => m.replyTo !== undefined);
  expect(reply).toMatchObject({ text: 'Order by 18:00 at bakery.example', replyTo: copies[1]!.messageId });
  expect(comment).toEqual({ remoteId: `${group.id}:${reply!.messageId}`, url: `https://t.me/bakery_news/${post.remoteId}?comment=${reply!.messageId}` });
  // Nothing was confirmed: the earlier post's copy is still there for its own comment.
  await connector.comment(ctx(), earlier.remoteId, 'Rye is back');
  expect(tg.liveMessages(group).filter((m) => m.replyTo === copies[0]!.messageId).map((m) => m.text)).toEqual(['Rye is back']);
  expect(tg.liveMessages(channel)).toHaveLength(2);
});

it('comments under an album through the copy of its first message', async () => {
  const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
  const image = (i: number) => ({ fileName: `p${i}.png`, mime: 'image/png', bytes: PNG, alt: '', width: 1, height: 1 });
  const album = await connector.publish(ctx(), { text: 'Two loaves', media: [image(1), image(2)], idempotencyKey: 'album' });
  await connector.comment(ctx(), album.remoteId, 'Which one?');
  const first = Number(album.remoteId.split(',')[0]);
  const copy = tg.liveMessages(group).find((m) => m.forwardOf?.messageId === first)!;
  expect(tg.liveMessages(group).find((m) => m.replyTo !== undefined)?.replyTo).toBe(copy.messageId);
});

it('finds the copy behind more than a page of people talking in the group, skipping only their messages', async () => {
  const older = await publish('Yesterday');
  tg.chatter(group, 150);
  const post = await publish('Today');
  await connector.comment(ctx(), post.remoteId, 'First!');
  const copy = tg.liveMessages(group).find((m) => m.forwardOf?.messageId === Number(post.remoteId))!;
  expect(tg.liveMessages(group).find((m) => m.text === 'First!')?.replyTo).toBe(copy.messageId);
  // The older post's copy came before the chatter and is still there for its own comment.
  await connector.comment(ctx(), older.remoteId, 'Still warm');
  expect(tg.liveMessages(group).some((m) => m.text === 'Still warm')).toBe(true);
});

it('says so when the channel has no discussion group, and sends nothing', async () => {
  const lonely = tg.addChannel({ username: 'lonely_news' });
  tg.setMember(lonely, bot, { status: 'administrator', canPostMessages: true });
  const post = await connector.publish({ ...ctx(), config: { channel: '@lonely_news' } }, { text: 'Hi', media: [], idempotencyKey: 'lonely' });
  const error = await refusal(connector.comment({ ...ctx(), config: { channel: '@lonely_news' } }, post.remoteId, 'Hello'));
  expect(error.kind).toBe('permanent');
  expect(error.message).toContain('no discussion group');
  expect(tg.calls().filter((c) => c.method === 'sendMessage' && c.params['reply_parameters'] !== undefined)).toEqual([]);
});

it('waits for a later try when the bot is not in the group (it never sees the copy), having sent nothing', async () => {
  tg.setMember(group, bot, { status: 'left' });
  const post = await publish('Croissants');
  const error = await refusal(connector.comment(ctx(), post.remoteId, 'Order now'));
  expect(error.kind).toBe('transient');
  expect(error.delivery).toBe('not_sent');
  expect(error.message).toContain('must be a member');
});

it('leaves a bot whose updates go to a webhook alone and says to add the comment by hand', async () => {
  const post = await publish('Croissants');
  tg.setWebhook(bot);
  const error = await refusal(connector.comment(ctx(), post.remoteId, 'Order now'));
  expect(error.kind).toBe('permanent');
  expect(error.message).toContain('webhook');
  expect(tg.calls().some((c) => c.method === 'deleteWebhook' || c.method === 'setWebhook')).toBe(false);
});
