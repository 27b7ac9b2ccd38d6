import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, CommunitySignIn, ConnectableNetwork, Connection, Credentials, PendingSignIn, VkSignInMethod } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { communitySignInProblem, connectionProblem, credentialsProblem, type FieldProblem } from '../../../../main/core/networks/connect-fields';
import { OK_REDIRECT_URI } from '../../../../main/core/networks/ok';
import { X_REDIRECT_URI, X_REPLY_SETTINGS, X_SCOPES, type XReplySetting } from '../../../../main/core/networks/x';
import { PINTEREST_REDIRECT_URI, PINTEREST_SCOPES } from '../../../../main/core/networks/pinterest';
import { LINKEDIN_REDIRECT_URI, linkedInScopes } from '../../../../main/core/networks/linkedin';
import { VK_REDIRECT_URI } from '../../../../main/core/networks/vk';
import { useBlockedUrl } from '../../platform/open-url-requests';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useAccounts } from './accounts-store';
import { CommunityPicker } from './CommunityPicker';
import { CopyAddress, MetaAppGuide } from './MetaAppGuide';
import { unawaited } from '../../platform/unawaited';

interface ConnectDialogProps {
  network: ConnectableNetwork;
  projectId: string;
  /** The account to reconnect; absent to connect a new one. */
  account?: Account;
  onClose(): void;
  /** Closes the dialog and announces `message` on the page. */
  onDone(message: string): void;
}

type FieldName =
  | 'botToken'
  | 'channel'
  | 'instance'
  | 'handle'
  | 'appPassword'
  | 'server'
  | 'applicationId'
  | 'applicationKey'
  | 'applicationSecretKey'
  | 'group'
  | 'appId'
  | 'appSecret'
  | 'address'
  | 'community'
  | 'webhookUrl'
  | 'username'
  | 'avatarUrl'
  | 'clientId'
  | 'clientSecret'
  | 'monthlyCap';

interface FieldProps {
  name: FieldName;
  label: string;
  value: string;
  onChange(value: string): void;
  error: OutpostError | null;
  errorId: string;
  hint?: string;
  secret?: boolean;
  placeholder?: string;
}

function Field({ name, label, value, onChange, error, errorId, hint, secret, placeholder }: FieldProps) {
  const id = useId();
  const hintId = useId();
  const invalid = error?.field === name;
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-field={name}
        type={secret ? 'password' : 'text'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
        placeholder={placeholder}
      />
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

export function ConnectDialog({ network, projectId, account, onClose, onDone }: ConnectDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const { connect, signIn, connectCommunities, reconnect, cancelSignIn } = useAccounts();
  const blockedUrl = useBlockedUrl((s) => s.url);
  const [values, setValues] = useState<Record<FieldName, string>>({
    botToken: '',
    channel: '',
    instance: '',
    handle: '',
    appPassword: '',
    server: '',
    applicationId: '',
    applicationKey: '',
    applicationSecretKey: '',
    group: '',
    appId: '',
    appSecret: '',
    address: '',
    community: '',
    webhookUrl: '',
    username: '',
    avatarUrl: '',
    clientId: '',
    clientSecret: '',
    monthlyCap: '',
  });
  const [vkMethod, setVkMethod] = useState<VkSignInMethod>('vkid');
  const vkMethodId = useId();
  const [xReply, setXReply] = useState<XReplySetting | ''>('');
  const xReplyId = useId();
  /** LinkedIn: also the pages the member administers (the app has the Community Management API). */
  const [linkedInPages, setLinkedInPages] = useState(false);
  const linkedInPagesId = useId();
  const [error, setError] = useState<OutpostError | null>(null);
  /** VK, OK: the finished sign-in whose communities are being chosen (its token stays in main). */
  const [pending, setPending] = useState<PendingSignIn | null>(null);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const submitRef = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  const networkName = t(`networks.${network}`);
  const reconnecting = account !== undefined;
  // These networks sign in through the system browser and wait for the user there.
  const browserSignIn = network !== 'telegram' && network !== 'bluesky' && network !== 'discord';
  // Instagram accounts are chosen next to their Page after a Facebook sign-in.
  const meta = network === 'facebook' || network === 'instagram' ? 'facebook' : network === 'threads' ? 'threads' : null;
  /** Whose words the sign-in button and the waiting notice use. */
  const signInKey = meta ?? (network === 'ok' || network === 'vk' || network === 'x' || network === 'youtube' || network === 'pinterest' || network === 'linkedin' ? network : 'mastodon');
  const metaApp = { appId: values.appId, appSecret: values.appSecret };
  const vkApp = { appId: values.appId, method: vkMethod, ...(vkMethod === 'implicit' && values.address.trim() ? { address: values.address } : {}) };
  const okApp = { applicationId: values.applicationId, applicationKey: values.applicationKey, applicationSecretKey: values.applicationSecretKey };

  const set = (name: FieldName) => (value: string) => setValues((v) => ({ ...v, [name]: value }));
  const fieldProps = (name: FieldName) => ({ name, value: values[name], onChange: set(name), error, errorId });

  // Put focus where the fix is: the refused community's box, the field named by the error, else the submit button.
  useEffect(() => {
    if (!error) return;
    const refused = pending?.communities.find((c) => c.name === error.details?.community);
    const field = error.field?.replace(/^(connection|credentials|signIn)\./, '');
    const input = refused
      ? formRef.current?.querySelector<HTMLInputElement>(`[data-community="${refused.id}"]`)
      : field
        ? formRef.current?.querySelector<HTMLInputElement>(`[data-field="${field}"]`)
        : null;
    (input ?? submitRef.current)?.focus();
  }, [error, pending]);

  // The list replaces the sign-in fields: start on its first box.
  useEffect(() => {
    if (pending) formRef.current?.querySelector<HTMLInputElement>('[data-community]:not(:disabled), [data-field]')?.focus();
  }, [pending]);

  useEffect(() => {
    useBlockedUrl.getState().clear();
  }, []);

  /** A field that cannot be right is named at once, and nothing is sent to main (so nothing touches the keychain). */
  const refuse = (problem: FieldProblem | null): boolean => {
    if (problem) setError({ code: 'validation', message: `${problem.field}: ${problem.reason}`, field: problem.field, reason: problem.reason });
    return problem !== null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setError(null);
    cancelled.current = false;
    const name = (a: Account) => a.displayName || a.handle;
    if (account) {
      const credentials: Credentials =
        network === 'telegram'
          ? { network, botToken: values.botToken }
          : network === 'bluesky'
            ? { network, appPassword: values.appPassword }
            : network === 'ok'
              ? { network, ...okApp }
              : network === 'vk'
                ? { network, ...vkApp }
                : network === 'facebook' || network === 'instagram' || network === 'threads'
                  ? { network, ...metaApp }
                  : network === 'youtube'
                    ? { network, clientId: values.clientId, clientSecret: values.clientSecret }
                    : network === 'x'
                    ? { network, clientId: values.clientId }
                    : network === 'discord'
                    ? { network, webhookUrl: values.webhookUrl }
                    : network === 'pinterest'
                      ? { network, ...metaApp }
                      : network === 'linkedin'
                        ? { network, clientId: values.clientId, clientSecret: values.clientSecret }
                        : { network };
      if (refuse(credentialsProblem(credentials))) return;
      setBusy(true);
      const result = await reconnect({ id: account.id, credentials });
      setBusy(false);
      useBlockedUrl.getState().clear();
      if (result.ok) onDone(t('accounts.reconnected', { name: name(result.value) }));
      else if (!cancelled.current) setError(result.error);
      return;
    }
    // VK, OK and Facebook sign in once, then the user ticks communities (groups, Pages and Instagram accounts) from a list.
    if (network === 'vk' || network === 'ok' || meta === 'facebook' || network === 'pinterest' || network === 'linkedin') {
      await pickOrSignIn();
      return;
    }
    const cap = values.monthlyCap.trim();
    // The cap is a whole number of posts a month, or left empty.
    if (network === 'x' && cap !== '' && !/^[1-9]\d{0,7}$/.test(cap)) {
      refuse({ field: 'monthlyCap', reason: 'x_monthly_cap_malformed' });
      return;
    }
    const connection: Connection =
      network === 'youtube'
        ? { network, clientId: values.clientId, clientSecret: values.clientSecret }
        : network === 'x'
        ? { network, clientId: values.clientId, monthlyCap: cap ? Number(cap) : null, ...(xReply ? { replySettings: xReply } : {}) }
        : network === 'telegram'
        ? { network, botToken: values.botToken, channel: values.channel }
        : network === 'mastodon'
          ? { network, instance: values.instance }
          : network === 'threads'
            ? { network, ...metaApp }
            : network === 'discord'
              ? {
                  network,
                  webhookUrl: values.webhookUrl,
                  ...(values.username.trim() ? { username: values.username } : {}),
                  ...(values.avatarUrl.trim() ? { avatarUrl: values.avatarUrl } : {}),
                }
              : { network: 'bluesky', handle: values.handle, appPassword: values.appPassword, ...(values.server.trim() ? { server: values.server } : {}) };
    if (refuse(connectionProblem(connection))) return;
    setBusy(true);
    const result = await connect({ projectId, connection });
    setBusy(false);
    useBlockedUrl.getState().clear();
    if (result.ok) {
      const shown = name(result.value.account);
      onDone(result.value.renewed ? t('accounts.renewed', { name: shown }) : t('accounts.connected', { name: shown }));
    } else if (!cancelled.current) setError(result.error);
  };

  const pastedField: FieldName = network === 'ok' ? 'group' : 'community';
  // Facebook lists every Page the user granted; there is nothing else to paste.
  const pasting = network === 'vk' || network === 'ok';

  /** First the sign-in (which lists the communities), then the chosen ones and a pasted link become accounts. */
  const pickOrSignIn = async () => {
    if (!pending) {
      const input: CommunitySignIn =
        network === 'ok'
          ? { network, ...okApp }
          : network === 'pinterest'
            ? { network, ...metaApp }
            : network === 'linkedin'
              ? { network, clientId: values.clientId, clientSecret: values.clientSecret, pages: linkedInPages }
              : meta === 'facebook'
              ? { network: 'facebook', ...metaApp }
              : { network: 'vk', ...vkApp };
      if (refuse(communitySignInProblem(input))) return;
      setBusy(true);
      const result = await signIn({ projectId, signIn: input });
      setBusy(false);
      useBlockedUrl.getState().clear();
      if (result.ok) {
        setPending(result.value);
        setPicked(new Set());
      } else if (!cancelled.current) setError(result.error);
      return;
    }
    const pasted = pasting ? values[pastedField].trim() : '';
    const communities = [...picked, ...(pasted ? [pasted] : [])];
    setBusy(true);
    const result = await connectCommunities({ pendingId: pending.pendingId, communities });
    setBusy(false);
    if (result.ok) {
      const names = result.value.map((r) => r.account.displayName || r.account.handle);
      onDone(names.length === 1 ? t('accounts.connected', { name: names[0] }) : t('accounts.pick.connectedMany', { names: names.join(', ') }));
      return;
    }
    // A sign-in that waited too long is gone: back to signing in, saying why.
    if (result.error.reason === 'signin_expired') setPending(null);
    if (!cancelled.current) setError(result.error);
  };

  const chosenCount = picked.size + (pasting && values[pastedField].trim() ? 1 : 0);

  // While the browser sign-in waits, closing the dialog also ends the sign-in; a sign-in waiting for the pick is forgotten.
  const close = () => {
    if ((busy && browserSignIn) || pending) {
      cancelled.current = true;
      unawaited(cancelSignIn(), 'cancelSignIn');
    }
    onClose();
  };

  const title = reconnecting
    ? t('accounts.reconnectTitle', { name: account.displayName || account.handle })
    : t(`accounts.connect.${network}`);

  let help: ReactNode;
  let fields: ReactNode;
  if (network === 'telegram') {
    help = (
      <>
        <ol className="steps">
          <li>{t('accounts.telegram.step1')}</li>
          <li>{t('accounts.telegram.step2')}</li>
          <li>{reconnecting ? t('accounts.telegram.step3Reconnect') : t('accounts.telegram.step3')}</li>
        </ol>
        <p className="notice small">{t('accounts.telegram.deleteLimit')}</p>
      </>
    );
    fields = (
      <>
        <Field {...fieldProps('botToken')} label={t('accounts.telegram.botToken')} secret placeholder="123456789:AA…" />
        {reconnecting ? (
          <p className="hint">{t('accounts.telegram.sameChannel', { channel: account.handle })}</p>
        ) : (
          <Field {...fieldProps('channel')} label={t('accounts.telegram.channel')} hint={t('accounts.telegram.channelHint')} placeholder="@your_channel" />
        )}
      </>
    );
  } else if (network === 'mastodon') {
    help = (
      <>
        <p className="hint">{reconnecting ? t('accounts.mastodon.helpReconnect', { server: account.server ?? '' }) : t('accounts.mastodon.help')}</p>
        <p className="hint">{t('accounts.mastodon.nativeScheduling')}</p>
      </>
    );
    fields = reconnecting ? null : (
      <Field {...fieldProps('instance')} label={t('accounts.mastodon.instance')} hint={t('accounts.mastodon.instanceHint')} placeholder="mastodon.social" />
    );
  } else if (network === 'vk') {
    help = (
      <>
        <ol className="steps">
          <li>{t('accounts.vk.step1')}</li>
          <li>{t('accounts.vk.step2', { redirectUri: VK_REDIRECT_URI })}</li>
          <li>{reconnecting ? t('accounts.vk.step3Reconnect') : t('accounts.vk.step3')}</li>
        </ol>
      </>
    );
    fields = (
      <>
        <Field {...fieldProps('appId')} label={t('accounts.vk.appId')} placeholder="51234567" />
        <div className="field">
          <label htmlFor={vkMethodId}>{t('accounts.vk.method')}</label>
          <select id={vkMethodId} value={vkMethod} onChange={(e) => setVkMethod(e.target.value as VkSignInMethod)}>
            <option value="vkid">{t('accounts.vk.methodVkid')}</option>
            <option value="implicit">{t('accounts.vk.methodImplicit')}</option>
          </select>
        </div>
        {vkMethod === 'implicit' && <Field {...fieldProps('address')} label={t('accounts.vk.address')} hint={t('accounts.vk.addressHint')} placeholder="https://oauth.vk.com/blank.html#access_token=…" />}
        {reconnecting && <p className="hint">{t('accounts.vk.sameCommunity', { community: account.displayName || account.handle })}</p>}
      </>
    );
  } else if (network === 'ok') {
    help = (
      <>
        <ol className="steps">
          <li>{t('accounts.ok.step1')}</li>
          <li>{t('accounts.ok.step2', { redirectUri: OK_REDIRECT_URI })}</li>
          <li>{reconnecting ? t('accounts.ok.step3Reconnect') : t('accounts.ok.step3')}</li>
        </ol>
        <p className="hint">{t('accounts.ok.noHandoff')}</p>
      </>
    );
    fields = (
      <>
        <Field {...fieldProps('applicationId')} label={t('accounts.ok.applicationId')} placeholder="512000000000" />
        <Field {...fieldProps('applicationKey')} label={t('accounts.ok.applicationKey')} placeholder="CB…" />
        <Field {...fieldProps('applicationSecretKey')} label={t('accounts.ok.applicationSecretKey')} secret />
        {reconnecting && <p className="hint">{t('accounts.ok.sameGroup', { group: account.displayName || account.handle })}</p>}
      </>
    );
  } else if (network === 'youtube') {
    help = (
      <>
        <ol className="steps">
          <li>{t('accounts.youtube.step1')}</li>
          <li>{t('accounts.youtube.step2')}</li>
          <li>{t('accounts.youtube.step3')}</li>
          <li>{reconnecting ? t('accounts.youtube.step4Reconnect') : t('accounts.youtube.step4')}</li>
        </ol>
        <p className="hint">{t('accounts.youtube.handoff')}</p>
      </>
    );
    fields = (
      <>
        <Field {...fieldProps('clientId')} label={t('accounts.youtube.clientId')} hint={t('accounts.youtube.clientIdHint')} placeholder="1234567890-abc123.apps.googleusercontent.com" />
        <Field {...fieldProps('clientSecret')} label={t('accounts.youtube.clientSecret')} hint={t('accounts.youtube.clientSecretHint')} secret />
        {reconnecting && <p className="hint">{t('accounts.youtube.sameChannel', { channel: account.displayName || account.handle })}</p>}
      </>
    );
  } else if (network === 'x') {
    help = (
      <OwnAppSteps network="x" scopes={X_SCOPES} redirect={X_REDIRECT_URI} reconnecting={reconnecting} />
    );
    fields = (
      <>
        <Field {...fieldProps('clientId')} label={t('accounts.x.clientId')} hint={t('accounts.x.clientIdHint')} placeholder="M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ" />
        {reconnecting ? (
          <p className="hint">{t('accounts.x.sameAccount', { handle: account.handle })}</p>
        ) : (
          <>
            <Field {...fieldProps('monthlyCap')} label={t('accounts.x.monthlyCap')} hint={t('accounts.x.monthlyCapHint')} placeholder="500" />
            <div className="field">
              <label htmlFor={xReplyId}>{t('accounts.x.replySettings')}</label>
              <select id={xReplyId} value={xReply} onChange={(e) => setXReply(e.target.value as XReplySetting | '')}>
                <option value="">{t('accounts.x.reply.everyone')}</option>
                {X_REPLY_SETTINGS.map((setting) => (
                  <option key={setting} value={setting}>
                    {t(`accounts.x.reply.${setting}`)}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
      </>
    );
  } else if (network === 'discord') {
    help = (
      <>
        <ol className="steps">
          <li>{t('accounts.discord.step1')}</li>
          <li>{t('accounts.discord.step2')}</li>
          <li>{reconnecting ? t('accounts.discord.step3Reconnect') : t('accounts.discord.step3')}</li>
        </ol>
        <p className="hint">{t('accounts.discord.noHandoff')}</p>
      </>
    );
    fields = (
      <>
        <Field {...fieldProps('webhookUrl')} label={t('accounts.discord.webhookUrl')} hint={t('accounts.discord.webhookUrlHint')} secret placeholder="https://discord.com/api/webhooks/…" />
        {reconnecting ? (
          <p className="hint">{t('accounts.discord.sameWebhook', { name: account.displayName || account.handle })}</p>
        ) : (
          <>
            <Field {...fieldProps('username')} label={t('accounts.discord.username')} hint={t('accounts.discord.usernameHint')} />
            <Field {...fieldProps('avatarUrl')} label={t('accounts.discord.avatarUrl')} hint={t('accounts.discord.avatarUrlHint')} placeholder="https://…" />
          </>
        )}
      </>
    );
  } else if (network === 'pinterest') {
    help = (
      <OwnAppSteps network="pinterest" scopes={PINTEREST_SCOPES} redirect={PINTEREST_REDIRECT_URI} reconnecting={reconnecting} />
    );
    fields = (
      <>
        <Field {...fieldProps('appId')} label={t('accounts.pinterest.appId')} placeholder="1234567" />
        <Field {...fieldProps('appSecret')} label={t('accounts.pinterest.appSecret')} hint={t('accounts.pinterest.secretHint')} secret />
        {reconnecting && <p className="hint">{t('accounts.pinterest.sameBoard', { board: account.displayName || account.handle })}</p>}
      </>
    );
  } else if (network === 'linkedin') {
    // Reconnecting a page asks for the page scopes again.
    const pages = reconnecting ? account.url?.includes('/company/') === true : linkedInPages;
    help = (
      <OwnAppSteps network="linkedin" scopes={linkedInScopes(pages)} redirect={LINKEDIN_REDIRECT_URI} reconnecting={reconnecting} />
    );
    fields = (
      <>
        <Field {...fieldProps('clientId')} label={t('accounts.linkedin.clientId')} placeholder="78abcd1234efgh" />
        <Field {...fieldProps('clientSecret')} label={t('accounts.linkedin.clientSecret')} hint={t('accounts.linkedin.secretHint')} secret />
        {reconnecting ? (
          <p className="hint">{t('accounts.linkedin.sameAuthor', { name: account.displayName || account.handle })}</p>
        ) : (
          <>
            <div className="checkbox">
              <input id={linkedInPagesId} type="checkbox" data-field="pages" checked={linkedInPages} onChange={(e) => setLinkedInPages(e.target.checked)} />
              <label htmlFor={linkedInPagesId}>{t('accounts.linkedin.pages')}</label>
            </div>
            <p className="hint">{t('accounts.linkedin.pagesHint')}</p>
          </>
        )}
      </>
    );
  } else if (meta) {
    help = <MetaAppGuide kind={meta} reconnecting={reconnecting} />;
    fields = (
      <>
        <Field {...fieldProps('appId')} label={t(`accounts.meta.${meta}.appId`)} placeholder="1234567890123456" />
        <Field {...fieldProps('appSecret')} label={t(`accounts.meta.${meta}.appSecret`)} hint={t('accounts.meta.secretHint')} secret />
        {reconnecting && <p className="hint">{t('accounts.meta.sameAccount', { name: account.displayName || account.handle })}</p>}
      </>
    );
  } else {
    help = <p className="hint">{t('accounts.bluesky.help')}</p>;
    fields = (
      <>
        {reconnecting ? (
          <p className="hint">{t('accounts.bluesky.sameAccount', { handle: account.handle })}</p>
        ) : (
          <Field {...fieldProps('handle')} label={t('accounts.bluesky.handle')} placeholder="you.bsky.social" />
        )}
        <Field {...fieldProps('appPassword')} label={t('accounts.bluesky.appPassword')} secret placeholder="xxxx-xxxx-xxxx-xxxx" />
        {!reconnecting && <Field {...fieldProps('server')} label={t('accounts.bluesky.server')} hint={t('accounts.bluesky.serverHint')} placeholder="bsky.social" />}
      </>
    );
  }

  if (pending) {
    help = null;
    fields = (
      <>
        <CommunityPicker
          pending={pending}
          picked={picked}
          onToggle={(id, on) =>
            setPicked((current) => {
              const next = new Set(current);
              if (on) next.add(id);
              else next.delete(id);
              return next;
            })
          }
        />
        {pasting && (
          <Field
            {...fieldProps(pastedField)}
            label={t(`accounts.${pending.network}.paste`)}
            hint={t(`accounts.${pending.network}.pasteHint`)}
            placeholder={pending.network === 'ok' ? 'ok.ru/group/…' : 'vk.com/your_community'}
          />
        )}
      </>
    );
  }

  const waitingInBrowser = busy && browserSignIn && !pending;
  const refusedCommunity = error?.details?.community;
  return (
    <Dialog title={title} onClose={close}>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        {help}
        {fields}
        <p className="hint keychain-note">{t('accounts.keychainNote')}</p>
        {busy && (
          <p role="status" className="notice">
            {waitingInBrowser ? t(`accounts.${signInKey}.waiting`) : t('accounts.checking', { network: networkName })}
          </p>
        )}
        {waitingInBrowser && blockedUrl && (
          <p>
            <a href={blockedUrl} target="_blank" rel="noopener noreferrer" onClick={() => useBlockedUrl.getState().clear()}>
              {t('accounts.mastodon.openSignIn')}
            </a>
          </p>
        )}
        {error && (
          <div id={errorId} role="alert" className="error-box">
            <p className="error">{refusedCommunity ? t('accounts.pick.refused', { community: refusedCommunity, message: describe(error) }) : describe(error)}</p>
            {error.networkSaid ? (
              <p className="network-said">{t('accounts.networkSaid', { network: networkName, message: error.networkSaid })}</p>
            ) : (
              error.networkMessage && <p className="network-said">{error.networkMessage}</p>
            )}
          </div>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={close}>
            {waitingInBrowser ? t('accounts.cancelSignIn') : t('accounts.cancel')}
          </button>
          <button ref={submitRef} type="submit" className="button primary" disabled={busy || (pending !== null && chosenCount === 0)}>
            {pending
              ? t('accounts.pick.submit', { count: chosenCount })
              : browserSignIn
                ? t(`accounts.${signInKey}.submit`)
                : t('accounts.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * The user's own app, in four steps (X, Pinterest, LinkedIn): make it, grant these scopes, register
 * this exact redirect address (with Copy), paste its keys; and that the network has no scheduler to hand posts to.
 */
function OwnAppSteps({ network, scopes, redirect, reconnecting }: { network: 'x' | 'pinterest' | 'linkedin'; scopes: readonly string[]; redirect: string; reconnecting: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <ol className="steps">
        <li>{t(`accounts.${network}.step1`)}</li>
        <li>
          {t(`accounts.${network}.step2`)}
          <ul className="meta-scopes">
            {scopes.map((scope) => (
              <li key={scope}>
                <code dir="ltr">{scope}</code>
              </li>
            ))}
          </ul>
        </li>
        <li>
          {t(`accounts.${network}.step3`)} <CopyAddress address={redirect} />
        </li>
        <li>{reconnecting ? t(`accounts.${network}.step4Reconnect`) : t(`accounts.${network}.step4`)}</li>
      </ol>
      <p className="hint">{t(`accounts.${network}.noHandoff`)}</p>
    </>
  );
}
