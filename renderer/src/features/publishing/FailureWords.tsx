import { useTranslation } from 'react-i18next';
import type { NetworkId } from '../../../../main/core/networks/ids';

/**
 * Why a try failed. Only the network's own words are quoted as "<network> said"; Outpost's own
 * explanation (a lost answer, no connection) is shown as ours, never put in the network's mouth.
 */
export function FailureWords({ network, message, networkSaid }: { network: NetworkId; message: string | null; networkSaid: string | null }) {
  const { t } = useTranslation();
  if (networkSaid) {
    return (
      <p className="publishing-network-message">
        {t('publishing.networkSaid', { network: t(`networks.${network}`) })} <q dir="auto">{networkSaid}</q>
      </p>
    );
  }
  if (!message) return null;
  return (
    <p className="publishing-network-message">
      {t('publishing.outpostSaid')} <bdi dir="auto">{message}</bdi>
    </p>
  );
}
