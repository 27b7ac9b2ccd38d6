import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { themeSchema } from '../../../../main/core/contract';
import { supportedLanguages } from '../../i18n/i18n';
import { Page } from '../../ui/Page';
import { DataSection } from '../data/DataSection';
import { useErrorText } from '../../ui/useErrorText';
import { useSettings } from './settings-store';
import { unawaited } from '../../platform/unawaited';

const themeLabels = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const;
const notificationKinds = [
  ['published', 'settings.notifyPublished'],
  ['failed', 'settings.notifyFailed'],
  ['needsAttention', 'settings.notifyNeedsAttention'],
] as const;

export function SettingsPage() {
  const { t } = useTranslation();
  const describe = useErrorText();
  const { settings, info, error, update } = useSettings();
  const languageId = useId();

  return (
    <Page title={t('pages.settings.title')}>
      {error && (
        <p role="alert" className="error">
          {describe(error)}
        </p>
      )}
      <section className="card" aria-labelledby="settings-appearance">
        <h2 id="settings-appearance">{t('settings.appearance')}</h2>
        <fieldset className="field">
          <legend>{t('settings.theme')}</legend>
          {themeSchema.options.map((theme) => (
            <label key={theme} className="radio">
              <input
                type="radio"
                name="theme"
                value={theme}
                checked={settings?.theme === theme}
                onChange={() => unawaited(update({ theme }), 'update')}
              />
              {t(themeLabels[theme])}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={languageId}>{t('settings.language')}</label>
          <select id={languageId} value={settings?.language ?? 'en'} onChange={(e) => unawaited(update({ language: e.target.value }), 'update')}>
            {supportedLanguages.map((lng) => (
              <option key={lng} value={lng}>
                {t(`languages.${lng}`)}
              </option>
            ))}
          </select>
        </div>
      </section>
      <section className="card" aria-labelledby="settings-background">
        <h2 id="settings-background">{t('settings.background')}</h2>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings?.runInBackground ?? true}
            onChange={(e) => unawaited(update({ runInBackground: e.target.checked }), 'update')}
          />
          {t('settings.runInBackground')}
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings?.startAtLogin ?? false}
            onChange={(e) => unawaited(update({ startAtLogin: e.target.checked }), 'update')}
          />
          {t('settings.startAtLogin')}
        </label>
        <fieldset className="field">
          <legend>{t('settings.notifications')}</legend>
          {notificationKinds.map(([kind, label]) => (
            <label key={kind} className="checkbox">
              <input
                type="checkbox"
                checked={settings?.notifications[kind] ?? true}
                onChange={(e) => unawaited(update({ notifications: { [kind]: e.target.checked } }), 'update')}
              />
              {t(label)}
            </label>
          ))}
        </fieldset>
      </section>
      <section className="card" aria-labelledby="settings-keychain">
        <h2 id="settings-keychain">{t('settings.keychain')}</h2>
        {info && (
          <p className={info.keychain.available ? 'status ok' : 'status warn'}>
            {info.keychain.available
              ? t('settings.keychainOk')
              : t('settings.keychainMissing', { detail: info.keychain.detail ?? '' })}
          </p>
        )}
      </section>
      <DataSection />
      <section className="card" aria-labelledby="settings-about">
        <h2 id="settings-about">{t('settings.about')}</h2>
        {info && (
          <>
            <p>{t('settings.version', { version: info.version })}</p>
            <p className="hint">{t('settings.credits')}</p>

          </>
        )}
      </section>
    </Page>
  );
}
