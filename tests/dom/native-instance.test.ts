import { describe, expect, it } from 'vitest';
import { instanceOf } from '../../renderer/src/features/publishing/publishing-text';

/** Where a handed-over post waits, as the post panel and its history name it ("Scheduled on … for …"). */
describe('instanceOf', () => {
  const names = (network: string) => ({ vk: 'VK', mastodon: 'Mastodon' })[network] ?? network;

  it('names a Mastodon account’s own server', () => {
    expect(instanceOf('@bakery@example.social', 'mastodon', names)).toBe('example.social');
  });

  it('names VK itself for a VK community, whatever its handle', () => {
    expect(instanceOf('bakery_lenina', 'vk', names)).toBe('VK');
    expect(instanceOf('@club123', 'vk', names)).toBe('VK');
  });
});
