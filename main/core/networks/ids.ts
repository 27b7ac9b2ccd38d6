/** Every network Outpost knows, in the order the UI lists them. */
export const networkIds = [
  'telegram',
  'mastodon',
  'bluesky',
  'vk',
  'ok',
  'linkedin',
  'x',
  'discord',
  'facebook',
  'instagram',
  'threads',
  'pinterest',
  'youtube',
] as const;

export type NetworkId = (typeof networkIds)[number];

export function isNetworkId(value: unknown): value is NetworkId {
  return typeof value === 'string' && (networkIds as readonly string[]).includes(value);
}
