import type { NetworkId } from './ids';

/** Each network's name as its users write it (main's own sentences and exports; the UI has its translations). */
export const networkNames: Record<NetworkId, string> = {
  telegram: 'Telegram',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  vk: 'VK',
  ok: 'OK',
  linkedin: 'LinkedIn',
  x: 'X',
  discord: 'Discord',
  facebook: 'Facebook',
  instagram: 'Instagram',
  threads: 'Threads',
  pinterest: 'Pinterest',
  youtube: 'YouTube',
};
