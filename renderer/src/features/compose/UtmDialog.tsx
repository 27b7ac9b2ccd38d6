import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog';
import { readUtm, withUtm, type UtmTags } from './utm';

interface UtmDialogProps {
  link: string;
  /** A sensible utm_source: the network of the tab the link is in, or empty for the shared text. */
  defaultSource: string;
  onApply(link: string): void;
  onClose(): void;
}

/** Adds (or changes) utm_source, utm_medium and utm_campaign on one link of the text. */
export function UtmDialog({ link, defaultSource, onApply, onClose }: UtmDialogProps) {
  const { t } = useTranslation();
  const [tags, setTags] = useState<UtmTags>(() => {
    const found = readUtm(link);
    return { ...found, source: found.source || defaultSource, medium: found.medium || 'social' };
  });
  const result = withUtm(link, tags);
  const field = (key: keyof UtmTags, label: string) => (
    <div className="field">
      <label htmlFor={`utm-${key}`}>{label}</label>
      <input id={`utm-${key}`} value={tags[key] ?? ''} onChange={(e) => setTags({ ...tags, [key]: e.target.value })} />
    </div>
  );
  return (
    <Dialog title={t('compose.utm.title')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          onApply(result);
        }}
      >
        {field('source', t('compose.utm.source'))}
        {field('medium', t('compose.utm.medium'))}
        {field('campaign', t('compose.utm.campaign'))}
        {field('content', t('compose.utm.content'))}
        <p className="hint">{t('compose.utm.result')}</p>
        <output className="mono utm-result" dir="ltr">
          {result}
        </output>
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('compose.cancel')}
          </button>
          <button type="submit" className="button primary">
            {t('compose.utm.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
