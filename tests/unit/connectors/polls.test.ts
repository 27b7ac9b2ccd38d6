import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublishRequest } from '../../../main/core/connector';
import { pollIssues, type PollOptions } from '../../../main/core/networks/polls';
import { readinessProblems } from '../../../main/core/posts/readiness';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS, type MastodonContext } from '../../../main/services/connectors/mastodon';
import { createTelegramConnector, type TelegramContext } from '../../../main/services/connectors/telegram';
import { createVkConnector, type VkContext } from '../../../main/services/connectors/vk';
import { startMastodonFake, type MastodonFake } from '../../fakes/mastodon-fake';
import { startTelegramFake, type TelegramFake } from '../../fakes/telegram-fake';
import { startVkFake, type FakeVkGroup, type VkFake } from '../../fakes/vk-fake';

/**
 * Polls (issue 12 item 8): checked per network before scheduling, and sent in each network's own
 * shape — Telegram's sendPoll, Mastodon's status poll (published now or handed to its scheduler),
 * VK's polls.create attached to the wall post —
 * to fakes that check every request against the networks' own specs.
 */

const poll: PollOptions = { options: ['Rye', 'Sourdough', 'Challah'], durationMinutes: 24 * 60, multiple: false };
const request = (text: string, extra: Partial<PublishRequest> = {}): PublishRequest => ({ text, media: [], idempotencyKey: `job-${Math.random()}`, poll, ...extra });

describe('poll rules', () => {
  it('names what each network refuses', () => {
    expect(pollIssues('telegram', poll, 'Which bread?', 0)).toEqual([]);
    expect(pollIssues('mastodon', { ...poll, options: ['a', 'b', 'c', 'd', 'e'] }, 'Which?', 0)).toEqual([{ code: 'poll_too_many_options', max: 4 }]);
    expect(pollIssues('mastodon', { ...poll, options: ['x'.repeat(51), 'ok'] }, 'Which?', 0)).toEqual([{ code: 'poll_option_too_long', position: 1, max: 50 }]);
    expect(pollIssues('telegram', { ...poll, options: ['Rye', ' rye ', ''] }, 'q'.repeat(301), 1).map((i) => i.code)).toEqual([
      'poll_with_media',
      'poll_option_duplicate',
      'poll_option_empty',
      'poll_question_too_long',
    ]);
    expect(pollIssues('mastodon', { ...poll, durationMinutes: 1 }, 'Which?', 0)).toEqual([{ code: 'poll_duration', min: 5, max: 43829 }]);
    expect(pollIssues('bluesky', poll, 'Which?', 0)).toEqual([{ code: 'poll_not_supported' }]);
    expect(pollIssues('vk', { ...poll, options: Array.from({ length: 11 }, (_, i) => `Bread ${i}`) }, 'Which?', 0)).toEqual([{ code: 'poll_too_many_options', max: 10 }]);
  });

  it('blocks scheduling on the targets that cannot take it, naming their network', () => {
    const target = (accountId: string, network: 'telegram' | 'bluesky') => ({ accountId, network, accountStatus: 'connected' as const, text: 'Which bread?', media: [] });
    const problems = readinessProblems({ targets: [target('t', 'telegram'), target('b', 'bluesky')], scheduledAt: 10_000_000, now: 0, networkOptions: { poll } });
    expect(problems.filter((p) => p.code.startsWith('poll_'))).toEqual([{ code: 'poll_not_supported', severity: 'error', accountId: 'b', network: 'bluesky', params: {} }]);
  });
});

describe('a poll on Telegram', () => {
  let tg: TelegramFake;
  let ctx: TelegramContext;
  beforeEach(async () => {
    tg = await startTelegramFake();
    const bot = tg.addBot({ username: 'bakery_bot' });
    const channel = tg.addChannel({ username: 'bakery', title: 'Bakery' });
    tg.setMember(channel, bot, { status: 'administrator', canPostMessages: true });
    ctx = { baseUrl: tg.baseUrl, credentials: { botToken: bot.token }, config: { channel: '@bakery' }, fetch, now: Date.now };
  });
  afterEach(() => tg.close());

  it('goes out as sendPoll: the text its question, anonymous in a channel, open for the chosen time', async () => {
    const published = await createTelegramConnector().publish(ctx, request('Which bread for Friday? 🥖', { poll: { ...poll, multiple: true } }));
    expect(published.remoteId).toBe('1');
    expect(tg.messages[0]).toMatchObject({ method: 'sendPoll', poll: { question: 'Which bread for Friday? 🥖', options: ['Rye', 'Sourdough', 'Challah'], multiple: true, openPeriod: 86_400 } });
    expect(tg.calls()[0]!.params['is_anonymous']).toBe(true);
  });
});

describe('a poll on Mastodon', () => {
  let fake: MastodonFake;
  let ctx: MastodonContext;
  const connector = createMastodonConnector({ requestTimeoutMs: 400 });
  beforeEach(async () => {
    fake = await startMastodonFake({ startTime: Date.parse('2026-03-02T09:00:00Z') });
    ctx = { baseUrl: fake.baseUrl, credentials: fake.issueToken(), config: { accountId: fake.accountId, acct: 'bakery@fake.social', url: `${fake.baseUrl}/@bakery`, limits: DEFAULT_MASTODON_LIMITS }, fetch, now: () => fake.now() };
  });
  afterEach(async () => {
    const violations = [...fake.violations];
    await fake.close();
    expect(violations).toEqual([]);
  });

  it('goes out with the status, its options, duration in seconds and multiple choice', async () => {
    const published = await connector.publish(ctx, request('Which bread for Friday?'));
    const status = fake.statuses.find((s) => s.id === published.remoteId);
    expect(status?.poll).toEqual({ options: ['Rye', 'Sourdough', 'Challah'], expiresIn: 86_400, multiple: false });
  });

  it('keeps its poll when handed to Mastodon’s own scheduler', async () => {
    const at = fake.now() + 3 * 60 * 60_000;
    await connector.scheduleNative!(ctx, request('Which bread for Friday?'), at);
    fake.advance(4 * 60 * 60_000);
    expect(fake.statuses[0]?.poll?.options).toEqual(['Rye', 'Sourdough', 'Challah']);
  });

  it('is refused in Mastodon’s words when the server will not take it', async () => {
    const error = await connector.publish(ctx, request('Too many', { poll: { ...poll, options: ['a', 'b', 'c', 'd', 'e'] } })).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'validation', networkMessage: expect.stringContaining('between 2 and 4 options') });
    expect(fake.statuses).toEqual([]);
  });
});

describe('a poll on VK', () => {
  let vk: VkFake;
  let group: FakeVkGroup;
  let ctx: VkContext;
  const connector = createVkConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000 });
  const clock = Date.UTC(2026, 11, 6, 9, 0, 0);
  beforeEach(async () => {
    vk = await startVkFake({ now: () => clock });
    const user = vk.addUser();
    group = vk.addGroup({ name: 'Bakery on Lenina' });
    vk.setRole(group, user, 'editor');
    ctx = {
      baseUrl: vk.baseUrl,
      credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
      config: { groupId: group.id, screenName: group.screenName, name: group.name },
      fetch,
      now: () => clock,
    } as VkContext;
  });
  afterEach(() => vk.close());

  it('is made in the community with polls.create and attached to the wall post, the text its question', async () => {
    const published = await connector.publish(ctx, request('Which bread tomorrow?', { poll: { ...poll, multiple: true } }));
    expect(vk.polls).toEqual([
      { ownerId: -group.id, id: expect.any(Number), question: 'Which bread tomorrow?', answers: ['Rye', 'Sourdough', 'Challah'], multiple: true, anonymous: false, endDate: clock / 1000 + 24 * 3600 },
    ]);
    const [post] = vk.livePosts(group);
    expect(post).toMatchObject({ text: '', attachments: [`poll${-group.id}_${vk.polls[0]!.id}`] });
    expect(published.remoteId).toBe(`${-group.id}_${post!.id}`);
    expect(vk.methods().filter((m) => m !== 'users.get')).toEqual(['polls.create', 'wall.post']);
  });

  it('is refused before scheduling past ten answers, so VK never sees it', () => {
    const target = { accountId: 'v', network: 'vk' as const, accountStatus: 'connected' as const, text: 'Which?', media: [] };
    const options = Array.from({ length: 11 }, (_, i) => `Bread ${i}`);
    const problems = readinessProblems({ targets: [target], scheduledAt: 10_000_000, now: 0, networkOptions: { poll: { ...poll, options } } });
    expect(problems.map((p) => p.code)).toContain('poll_too_many_options');
  });
});
