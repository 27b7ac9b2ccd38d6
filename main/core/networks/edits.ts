import type { NetworkId } from './ids';

/** Networks whose published posts Outpost can change in place (connector.edit): Discord's webhook message edit. */
const EDITABLE: ReadonlySet<NetworkId> = new Set(['discord']);

export function editsPublished(network: NetworkId): boolean {
  return EDITABLE.has(network);
}
