import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type FailureKind, type MediaItem } from '../../../main/core/connector';
import { createVkConnector, type VkContext, type VkPublishRequest } from '../../../main/services/connectors/vk';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake, type VkFakeOptions } from '../../fakes/vk-fake';

/**
 * VK native handoff against the fake: a postponed post (wall.post publish_date), moved and edited
 * with wall.edit, taken back with wall.delete, and looked up after its time. The fake publishes a
 * postponed post when its clock passes it; what VK does not document is tried both ways.
 */

// Generous: the fake compiles VK's schema on first use, and no test here waits for a timeout.
const connector = createVkConnector({ timeoutMs: 5_000, uploadTimeoutMs: 5_000 });
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let clock: number;
let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;

async function start(options: VkFakeOptions = {}): Promise<void> {
  await vk?.close();
  vk = await startVkFake({ now: () => clock, ...options });
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina' });
  vk.setRole(group, user, 'editor');
}

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  await start();
});

afterEach(async () => {
  expect(vk.violations).toEqual([]);
  await vk.close();
});

function ctx(): VkContext {
  return {
    baseUrl: vk.baseUrl,
    credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
    config: { groupId: group.id, screenName: group.screenName, name: group.name },
    fetch,
    now: () => clock,
  };
}

function post(text: string, media: MediaItem[] = [], extra: Partial<VkPublishRequest> = {}): VkPublishRequest {
  return { text, media, idempotencyKey: 'sync-1', ...extra };
}

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const image = (i = 0): MediaItem => ({ fileName: `photo-${i}.png`, mime: 'image/png', bytes: PNG, alt: `photo ${i}`, width: 1, height: 1 });

async function failure(promise: Promise<unknown>, kind: FailureKind): Promise<ConnectorError> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a ${kind} failure, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  return error as ConnectorError;
}

const postponed = () => vk.livePosts(group).filter((p) => p.postponed);
const out = () => vk.livePosts(group).filter((p) => !p.postponed);

describe('VK native handoff: scheduleNative', () => {
  it('makes a postponed post with publish_date in unix seconds, from the community, with a guid; nativeId is owner_post', async () => {
    const at = clock + 2 * HOUR;
    const schedule = await connector.scheduleNative(ctx(), post('Rye loaves on Saturday', [image()], { vk: { closeComments: true } }), at);
    const [waiting] = postponed();
    expect(waiting).toMatchObject({ text: 'Rye loaves on Saturday', date: at / 1000, fromGroup: true, closeComments: true, attachments: [`photo-${group.id}_${vk.photos[0]!.id}`] });
    expect(waiting!.guid).toMatch(/^[0-9a-f]{32}$/);
    expect(schedule).toEqual({ nativeId: `-${group.id}_${waiting!.id}`, scheduledAt: at });
    expect(out()).toEqual([]);
  });

  it('a lost answer, then the same guid again: VK answers with the postponed post it made, still one', async () => {
    const at = clock + 2 * HOUR;
    vk.failNext({ lose: true }, { method: 'wall.post' });
    const lost = await failure(connector.scheduleNative(ctx(), post('Once only'), at), 'transient');
    expect(lost.maybeSent).toBe(true);
    expect(postponed()).toHaveLength(1);
    const schedule = await connector.scheduleNative(ctx(), post('Once only'), at);
    expect(postponed()).toHaveLength(1);
    expect(schedule.nativeId).toBe(`-${group.id}_${postponed()[0]!.id}`);
  });

  it('refuses, before any call, a time too close for VK or more than a year ahead', async () => {
    const near = await failure(connector.scheduleNative(ctx(), post('Too soon'), clock + 90_000), 'validation');
    expect(near.maybeSent).toBe(false);
    await failure(connector.scheduleNative(ctx(), post('Too far'), clock + 400 * 24 * HOUR), 'validation');
    expect(vk.methods()).toEqual([]);
  });

  it('VK’s own refusal of the date is a validation failure that proves nothing was made', async () => {
    vk.failNext({ error: 100, message: 'One of the parameters specified was missing or invalid: publish_date is invalid' }, { method: 'wall.post' });
    const error = await failure(connector.scheduleNative(ctx(), post('Refused'), clock + 2 * HOUR), 'validation');
    expect(error.maybeSent).toBe(false);
    expect(error.networkSaid).toContain('publish_date is invalid');
    expect(vk.livePosts(group)).toEqual([]);
  });
});

describe('VK native handoff: updateNative', () => {
  it('moves the postponed post with wall.edit, keeping its id, text, attachments and options', async () => {
    const first = await connector.scheduleNative(ctx(), post('Menu', [image()], { vk: { signed: true } }), clock + 2 * HOUR);
    const later = clock + 5 * HOUR;
    const moved = await connector.updateNative(ctx(), first.nativeId, post('Menu', [image()], { vk: { signed: true } }), later);
    expect(moved).toEqual({ nativeId: first.nativeId, scheduledAt: later });
    expect(postponed()).toHaveLength(1);
    expect(postponed()[0]).toMatchObject({ date: later / 1000, text: 'Menu', signed: true, attachments: [expect.stringMatching(/^photo-/)] });
    expect(vk.methods()).toContain('wall.edit');
  });

  it('replaces the text and drops removed media', async () => {
    const first = await connector.scheduleNative(ctx(), post('Menu', [image()]), clock + 2 * HOUR);
    await connector.updateNative(ctx(), first.nativeId, post('New menu'), clock + 2 * HOUR);
    expect(postponed()[0]).toMatchObject({ text: 'New menu', attachments: [] });
  });

  it('never edits a post VK has already published: it says the post is no longer waiting', async () => {
    const first = await connector.scheduleNative(ctx(), post('Gone out'), clock + 10 * MINUTE);
    clock += 11 * MINUTE;
    const error = await failure(connector.updateNative(ctx(), first.nativeId, post('Edited late'), clock + HOUR), 'permanent');
    expect(error.message).toContain('no longer waiting');
    expect(out()[0]).toMatchObject({ text: 'Gone out' });
    expect(vk.methods()).not.toContain('wall.edit');
  });
});

describe('VK native handoff: cancelNative', () => {
  it('deletes the postponed post; again after a lost answer is done too', async () => {
    const first = await connector.scheduleNative(ctx(), post('Take me back'), clock + 2 * HOUR);
    vk.failNext({ lose: true }, { method: 'wall.delete' });
    await failure(connector.cancelNative(ctx(), first.nativeId), 'transient');
    expect(vk.livePosts(group)).toEqual([]);
    await connector.cancelNative(ctx(), first.nativeId);
    expect(vk.methods().filter((m) => m === 'wall.delete')).toHaveLength(1);
  });

  it('a refused delete of a post still waiting keeps VK’s words', async () => {
    const first = await connector.scheduleNative(ctx(), post('Stays'), clock + 2 * HOUR);
    vk.failNext({ error: 100, message: 'One of the parameters specified was missing or invalid: post_id' }, { method: 'wall.delete' });
    const error = await failure(connector.cancelNative(ctx(), first.nativeId), 'validation');
    expect(error.networkSaid).toContain('post_id');
    expect(postponed()).toHaveLength(1);
  });

  it('a post VK has published is not deleted: nothing is left to take back', async () => {
    const first = await connector.scheduleNative(ctx(), post('Already out'), clock + 10 * MINUTE);
    clock += 11 * MINUTE;
    await failure(connector.cancelNative(ctx(), first.nativeId), 'permanent');
    expect(out()).toHaveLength(1);
    expect(vk.methods()).not.toContain('wall.delete');
  });
});

describe('VK native handoff: checkNative', () => {
  it('still postponed → scheduled; after its time → published with the new post’s link; deleted → missing', async () => {
    const at = clock + 30 * MINUTE;
    const first = await connector.scheduleNative(ctx(), post('Checked'), at);
    expect(await connector.checkNative(ctx(), first.nativeId, { text: 'Checked', scheduledAt: at })).toEqual({ state: 'scheduled', schedule: { nativeId: first.nativeId, scheduledAt: at } });

    clock = at + MINUTE;
    const state = await connector.checkNative(ctx(), first.nativeId, { text: 'Checked', scheduledAt: at });
    const [live] = out();
    // The fake gives the published post a new id, naming the postponed one in postponed_id.
    expect(live!.postponedId).toBe(Number(first.nativeId.split('_')[1]));
    expect(state).toEqual({ state: 'published', post: { remoteId: `-${group.id}_${live!.id}`, url: `https://vk.com/wall-${group.id}_${live!.id}`, publishedAt: at } });

    const other = await connector.scheduleNative(ctx(), post('Cancelled by hand', [], { idempotencyKey: 'sync-2' }), clock + HOUR);
    await connector.cancelNative(ctx(), other.nativeId);
    expect(await connector.checkNative(ctx(), other.nativeId, { text: 'Cancelled by hand', scheduledAt: clock + HOUR })).toEqual({ state: 'missing' });
  });

  it('when VK keeps the id on publishing and wall.getById hides postponed posts, both still read right', async () => {
    await start({ postponed: { publishKeepsId: true, hiddenFromGetById: true } });
    const at = clock + 30 * MINUTE;
    const first = await connector.scheduleNative(ctx(), post('Either way'), at);
    expect((await connector.checkNative(ctx(), first.nativeId, { text: 'Either way', scheduledAt: at })).state).toBe('scheduled');
    clock = at + MINUTE;
    const state = await connector.checkNative(ctx(), first.nativeId, { text: 'Either way', scheduledAt: at });
    expect(state).toMatchObject({ state: 'published', post: { remoteId: first.nativeId } });
  });
});
