import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaItem } from '../../../main/core/connector';
import { createVkConnector, type VkContext } from '../../../main/services/connectors/vk';
import { startVkFake, type FakeVkGroup, type FakeVkUser, type VkFake } from '../../fakes/vk-fake';

/** A VK post's uploads (photos, then the video, each to its upload server) report one growing figure (issue 12 item 3). VK makes a video's cover itself. */

const connector = createVkConnector({ timeoutMs: 2000, uploadTimeoutMs: 2000 });
let vk: VkFake;
let user: FakeVkUser;
let group: FakeVkGroup;

beforeEach(async () => {
  vk = await startVkFake();
  user = vk.addUser();
  group = vk.addGroup({ name: 'Bakery on Lenina' });
  vk.setRole(group, user, 'editor');
});

afterEach(async () => {
  await vk.close();
});

const PNG = Uint8Array.from(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));
const photo: MediaItem = { fileName: 'photo.png', mime: 'image/png', bytes: PNG, alt: '', width: 1, height: 1 };
const clip: MediaItem = { fileName: 'clip.mp4', mime: 'video/mp4', bytes: Uint8Array.from({ length: 200_000 }, (_, i) => (i < 8 ? [0, 0, 0, 24, 102, 116, 121, 112][i]! : i % 251)), alt: '' };

describe('VK upload progress', () => {
  it('grows across the photo and the video to all of their bytes', async () => {
    const seen: Array<[number, number]> = [];
    const ctx: VkContext = {
      baseUrl: vk.baseUrl,
      credentials: { flow: 'implicit', appId: '51000001', accessToken: user.token, expiresAt: null, userId: user.id },
      config: { groupId: group.id, screenName: group.screenName, name: group.name },
      fetch,
      now: Date.now,
      onUploadProgress: (sent, total) => seen.push([sent, total]),
    };
    await connector.publish(ctx, { text: 'Our oven at work', media: [photo, clip], idempotencyKey: 'job-1' });
    const total = PNG.byteLength + clip.bytes.byteLength;
    expect(new Set(seen.map(([, of]) => of))).toEqual(new Set([total]));
    const sent = seen.map(([n]) => n);
    expect(sent).toEqual([...sent].sort((a, b) => a - b));
    // The video's body goes in several pieces: the figure moves while it uploads.
    expect(sent.filter((n) => n > PNG.byteLength && n < total).length).toBeGreaterThan(0);
    expect(sent.at(-1)).toBe(total);
  });
});
