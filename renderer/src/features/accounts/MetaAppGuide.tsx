import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FACEBOOK_INSTAGRAM_SCOPES, FACEBOOK_REDIRECT_URI, FACEBOOK_SCOPES } from '../../../../main/core/networks/facebook';
import { THREADS_REDIRECT_URI, THREADS_SCOPES } from '../../../../main/core/networks/threads';
import './accounts.css';

/** Which Meta app the walkthrough is for: Facebook Login (Pages and their Instagram accounts) or the Threads use case. */
export type MetaAppKind = 'facebook' | 'threads';

/** The permissions and redirect address come from the sign-in code's own constants, so the walkthrough cannot drift from what is asked. */
const guides = {
  facebook: { scopes: [...FACEBOOK_SCOPES, ...FACEBOOK_INSTAGRAM_SCOPES], redirectUri: FACEBOOK_REDIRECT_URI },
  threads: { scopes: [...THREADS_SCOPES], redirectUri: THREADS_REDIRECT_URI },
} as const;

/** A redirect address to register, with a Copy button (the Pinterest dialog shows its own too). */
export function CopyAddress({ address }: { address: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied('yes');
    } catch {
      // No clipboard here (a browser without permission): the address stays selectable.
      setCopied('failed');
    }
  };
  return (
    <span className="copy-address">
      <code dir="ltr" data-redirect-uri>
        {address}
      </code>
      <button type="button" className="button small" onClick={() => void copy()}>
        {t('accounts.meta.copy')}
      </button>
      <span role="status" className="hint">
        {copied === 'yes' ? t('accounts.meta.copied') : copied === 'failed' ? t('accounts.meta.copyFailed') : ''}
      </span>
    </span>
  );
}

/**
 * "Bring your own Meta app": where to create it, which products and permissions it needs, the exact
 * redirect address to register, where its id and secret are, and that the secret stays in the keychain.
 */
export function MetaAppGuide({ kind, reconnecting }: { kind: MetaAppKind; reconnecting: boolean }) {
  const { t } = useTranslation();
  const guide = guides[kind];
  return (
    <section className="meta-guide" aria-label={t(`accounts.meta.${kind}.guideLabel`)}>
      <ol className="steps">
        <li>{t(`accounts.meta.${kind}.create`)}</li>
        <li>{t(`accounts.meta.${kind}.products`)}</li>
        <li>
          {t(`accounts.meta.${kind}.permissions`)}
          <ul className="meta-scopes">
            {guide.scopes.map((scope) => (
              <li key={scope}>
                <code dir="ltr">{scope}</code>
              </li>
            ))}
          </ul>
        </li>
        <li>
          {t(`accounts.meta.${kind}.redirect`)} <CopyAddress address={guide.redirectUri} />
        </li>
        {kind === 'threads' && <li>{t('accounts.meta.threads.tester')}</li>}
        <li>{t(`accounts.meta.${kind}.${reconnecting ? 'credentialsReconnect' : 'credentials'}`)}</li>
      </ol>
      <p className="hint">{t(`accounts.meta.${kind}.review`)}</p>
    </section>
  );
}
