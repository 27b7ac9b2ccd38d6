import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { hourCycleSchema, themeSchema, weekStartSchema } from '../../../../main/core/contract';
import { languageSettings, type LanguageSetting } from '../../../../main/core/languages';
import { Page } from '../../ui/Page';
import { DataSection } from '../data/DataSection';
import { MediaRelaySection } from './MediaRelaySection';
import { useErrorText } from '../../ui/useErrorText';
import { useSettings } from './settings-store';
import { localeHourCycle, localeWeekStart, systemLocale, timeLocale } from './time-preferences';
import { unawaited } from '../../platform/unawaited';

const themeLabels = { system: 'settings.themeSystem', light: 'settings.themeLight', dark: 'settings.themeDark' } as const;
const hourCycleLabels = { system: 'settings.hourCycleSystem', h23: 'settings.hourCycle24', h12: 'settings.hourCycle12' } as const;
const weekdayNames = { 1: 'monday', 6: 'saturday', 7: 'sunday' } as const;
// 14:30 on a UTC day: how each clock writes the afternoon.
const SAMPLE = Date.UTC(2026, 2, 2, 14, 30);
const notificationKinds = [
  ['published', 'settings.notifyPublished'],
  ['failed', 'settings.notifyFailed'],
  ['needsAttention', 'settings.notifyNeedsAttention'],
] as const;

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const describe = useErrorText();
  const { settings, info, error, update } = useSettings();
  const languageId = useId();
  const weekStartId = useId();
  const system = systemLocale();
  const sample = (cycle: 'h23' | 'h12') =>
    new Intl.DateTimeFormat(timeLocale(i18n.language, cycle), { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(SAMPLE);

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
          <select id={languageId} value={settings?.language ?? 'system'} onChange={(e) => unawaited(update({ language: e.target.value as LanguageSetting }), 'update')}>
            {languageSettings.map((lng) => (
              <option key={lng} value={lng}>
                {t(`languages.${lng}`)}
              </option>
            ))}
          </select>
        </div>
      </section>
      <section className="card" aria-labelledby="settings-time">
        <h2 id="settings-time">{t('settings.time')}</h2>
        <fieldset className="field">
          <legend>{t('settings.hourCycle')}</legend>
          {hourCycleSchema.options.map((cycle) => (
            <label key={cycle} className="radio">
              <input
                type="radio"
                name="hourCycle"
                value={cycle}
                checked={(settings?.hourCycle ?? 'system') === cycle}
                onChange={() => unawaited(update({ hourCycle: cycle }), 'update')}
              />
              {t(hourCycleLabels[cycle], { example: sample(cycle === 'system' ? localeHourCycle(system) : cycle) })}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={weekStartId}>{t('settings.weekStart')}</label>
          <select
            id={weekStartId}
            value={settings?.weekStart ?? 'system'}
            onChange={(e) => unawaited(update({ weekStart: weekStartSchema.parse(e.target.value) }), 'update')}
          >
            {weekStartSchema.options.map((start) => (
              <option key={start} value={start}>
                {start === 'system'
                  ? t('settings.weekStartSystem', { day: t(`settings.weekdays.${weekdayNames[localeWeekStart(system)]}`) })
                  : t(`settings.weekdays.${start}`)}
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
      <MediaRelaySection />
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
