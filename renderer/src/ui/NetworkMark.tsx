import type { NetworkId } from '../../../main/core/networks/ids';
import './network-mark.css';

/** Short enough for a 13 px square; the brand colour comes from the stylesheet. */
const initials: Record<NetworkId, string> = {
  telegram: 'T',
  mastodon: 'M',
  bluesky: 'B',
  vk: 'VK',
  ok: 'OK',
  linkedin: 'in',
  x: 'X',
  discord: 'D',
  facebook: 'f',
  instagram: 'IG',
  threads: '@',
  pinterest: 'P',
  youtube: 'YT',
};

/**
 * A network's mark drawn here (no logo files are shipped): a coloured rounded square with its
 * initial, named for screen readers (role="img" makes the initial presentational). A plain
 * element, not a component: a month draws a few hundred of them.
 */
export function networkMark(network: NetworkId, name: string) {
  return (
    <span key={network} className="network-mark" data-network={network} role="img" aria-label={name} title={name}>
      {initials[network]}
    </span>
  );
}
