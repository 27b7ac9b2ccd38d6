import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { mastodonVisibilitySchema, type Account, type AccountDefaults } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import { X_REPLY_SETTINGS, type XReplySetting } from '../../../../main/core/networks/x';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { useAccounts } from './accounts-store';
import { postLanguages, useLanguageName } from './languages';

interface DefaultsDialogProps {
  account: Account;
  onClose(): void;
  onDone(message: string): void;
}

/** Shows exactly the settings the account's network has (the server fills in every one it uses). */
export function DefaultsDialog({ account, onClose, onDone }: DefaultsDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const languageName = useLanguageName();
  const updateDefaults = useAccounts((s) => s.updateDefaults);
  const [defaults, setDefaults] = useState<AccountDefaults>(account.defaults);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const previewId = useId();
  const visibilityId = useId();
  const languageId = useId();
  const languageHintId = useId();
  const capId = useId();
  const capHintId = useId();
  const replyId = useId();
  // X's monthly cap as typed: a whole number of posts, or empty for none.
  const [capText, setCapText] = useState(account.defaults.monthlyCap ? String(account.defaults.monthlyCap) : '');
  const name = account.displayName || account.handle;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let sent = defaults;
    if (defaults.monthlyCap !== undefined) {
      const cap = capText.trim();
      if (cap !== '' && !/^[1-9]\d{0,7}$/.test(cap)) {
        setError({ code: 'validation', message: 'monthlyCap: x_monthly_cap_malformed', field: 'defaults.monthlyCap', reason: 'x_monthly_cap_malformed' });
        return;
      }
      sent = { ...defaults, monthlyCap: cap === '' ? null : Number(cap) };
    }
    setBusy(true);
    const result = await updateDefaults({ id: account.id, defaults: sent });
    setBusy(false);
    if (result.ok) onDone(t('accounts.defaultsSaved', { name }));
    else setError(result.error);
  };

  const languages = [...postLanguages].sort((a, b) => languageName(a).localeCompare(languageName(b)));

  return (
    <Dialog title={t('accounts.defaultsTitle', { name })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <p className="hint">{t('accounts.defaultsHelp')}</p>
        {defaults.linkPreview !== undefined && (
          <div className="checkbox">
            <input
              id={previewId}
              type="checkbox"
              checked={defaults.linkPreview}
              onChange={(e) => setDefaults((d) => ({ ...d, linkPreview: e.target.checked }))}
            />
            <label htmlFor={previewId}>{t('accounts.linkPreview')}</label>
          </div>
        )}
        {defaults.visibility !== undefined && (
          <div className="field">
            <label htmlFor={visibilityId}>{t('accounts.visibilityLabel')}</label>
            <select
              id={visibilityId}
              value={defaults.visibility}
              onChange={(e) => setDefaults((d) => ({ ...d, visibility: mastodonVisibilitySchema.parse(e.target.value) }))}
            >
              {mastodonVisibilitySchema.options.map((v) => (
                <option key={v} value={v}>
                  {t(`accounts.visibility.${v}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        {defaults.language !== undefined && (
          <div className="field">
            <label htmlFor={languageId}>{t('accounts.languageLabel')}</label>
            <select
              id={languageId}
              value={defaults.language ?? ''}
              aria-describedby={languageHintId}
              onChange={(e) => setDefaults((d) => ({ ...d, language: e.target.value || null }))}
            >
              <option value="">{t('accounts.languageAuto')}</option>
              {languages.map((code) => (
                <option key={code} value={code}>
                  {languageName(code)}
                </option>
              ))}
            </select>
            <p id={languageHintId} className="hint">
              {t('accounts.languageHint')}
            </p>
          </div>
        )}
        {defaults.monthlyCap !== undefined && (
          <div className="field">
            <label htmlFor={capId}>{t('accounts.x.monthlyCap')}</label>
            <input
              id={capId}
              data-field="monthlyCap"
              inputMode="numeric"
              value={capText}
              onChange={(e) => setCapText(e.target.value)}
              aria-describedby={capHintId}
              aria-invalid={error?.field === 'defaults.monthlyCap'}
              dir="ltr"
              placeholder="500"
            />
            <p id={capHintId} className="hint">
              {t('accounts.x.monthlyCapHint')}
            </p>
          </div>
        )}
        {defaults.replySettings !== undefined && (
          <div className="field">
            <label htmlFor={replyId}>{t('accounts.x.replySettings')}</label>
            <select
              id={replyId}
              value={defaults.replySettings ?? ''}
              onChange={(e) => setDefaults((d) => ({ ...d, replySettings: e.target.value === '' ? null : (e.target.value as XReplySetting) }))}
            >
              <option value="">{t('accounts.x.reply.everyone')}</option>
              {X_REPLY_SETTINGS.map((setting) => (
                <option key={setting} value={setting}>
                  {t(`accounts.x.reply.${setting}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('accounts.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {t('accounts.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
