import { useTranslation } from 'react-i18next';
import type { NetworkId } from '../../../../main/core/networks/ids';

interface FailureWordsProps {
  network: NetworkId;
  message: string | null;
  networkSaid: string | null;
  /** The raw code behind Outpost's words (ECONNREFUSED…): only under Details, for whoever helps the user. */
  cause?: string | undefined;
}

/**
 * Why a try failed. Only the network's own words are quoted as "<network> said"; Outpost's own
 * explanation (a lost answer, no connection) is shown as ours, never put in the network's mouth.
 */
export function FailureWords({ network, message, networkSaid, cause }: FailureWordsProps) {
  const { t } = useTranslation();
  const details = cause ? (
    <details className="failure-details">
      <summary>{t('publishing.details')}</summary>
      <p>
        {t('publishing.detailsCode')} <code dir="ltr">{cause}</code>
      </p>
    </details>
  ) : null;
  if (networkSaid) {
    return (
      <>
        <p className="publishing-network-message">
          {t('publishing.networkSaid', { network: t(`networks.${network}`) })} <q dir="auto">{networkSaid}</q>
        </p>
        {details}
      </>
    );
  }
  if (!message) return details;
  return (
    <>
      <p className="publishing-network-message">
        {t('publishing.outpostSaid')} <bdi dir="auto">{message}</bdi>
      </p>
      {details}
    </>
  );
}
