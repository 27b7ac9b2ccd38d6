import { memo } from 'react';
import type { NetworkId } from '../../../main/core/networks/ids';
import './network-mark.css';

/** Short enough for a 12 px square; the brand colour comes from the stylesheet. */
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
};

interface NetworkMarkProps {
  network: NetworkId;
  /** The network's name, already translated: the mark's accessible name and tooltip. */
  name: string;
}

/** A network's mark drawn here (no logo files are shipped): a coloured rounded square with its initial. */
export const NetworkMark = memo(function NetworkMark({ network, name }: NetworkMarkProps) {
  return (
    // role="img": the initial inside is presentational, the name is what is announced.
    <span className="network-mark" data-network={network} role="img" aria-label={name} title={name}>
      {initials[network]}
    </span>
  );
});
