import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutpostError } from '../../../../main/core/errors';
import { useErrorText } from '../../ui/useErrorText';
import { useInserts } from './inserts-store';
import { useDismiss } from './use-dismiss';

interface MenuProps {
  onInsert(text: string): void;
  onClose(): void;
}

/** The project's hashtag sets: insert one, save a new one, delete one. */
export function HashtagMenu({ onInsert, onClose }: MenuProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const sets = useInserts((s) => s.hashtagSets);
  const [name, setName] = useState('');
  const [tags, setTags] = useState('');
  const [error, setError] = useState<OutpostError | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  useDismiss(panel, onClose);
  return (
    <div ref={panel} className="popover insert-menu" role="dialog" aria-label={t('compose.hashtags.title')}>
      {sets.length === 0 && <p className="hint">{t('compose.hashtags.empty')}</p>}
      <ul className="insert-list">
        {sets.map((set) => (
          <li key={set.id}>
            <button
              type="button"
              className="button subtle insert-item"
              aria-label={t('compose.hashtags.insert', { name: set.name })}
              onClick={() => {
                onInsert(set.tags.map((tag) => `#${tag}`).join(' '));
                onClose();
              }}
            >
              <strong>{set.name}</strong> <bdi className="muted">{set.tags.map((tag) => `#${tag}`).join(' ')}</bdi>
            </button>
            <button
              type="button"
              className="button subtle small"
              aria-label={t('compose.hashtags.delete', { name: set.name })}
              onClick={async () => setError(await useInserts.getState().deleteHashtagSet(set.id))}
            >
              <span aria-hidden="true">✕</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        className="form compact"
        onSubmit={async (e) => {
          e.preventDefault();
          const failed = await useInserts.getState().saveHashtagSet({ name, tags: [tags] });
          setError(failed);
          if (!failed) {
            setName('');
            setTags('');
          }
        }}
      >
        <input aria-label={t('compose.hashtags.name')} placeholder={t('compose.hashtags.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <input aria-label={t('compose.hashtags.tags')} placeholder={t('compose.hashtags.tagsHint')} value={tags} onChange={(e) => setTags(e.target.value)} dir="auto" />
        {error && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        <button type="submit" className="button">
          {t('compose.hashtags.save')}
        </button>
      </form>
    </div>
  );
}

/** The project's snippets (signatures, recurring phrases): insert one, save a new one, delete one. */
export function SnippetMenu({ onInsert, onClose }: MenuProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const snippets = useInserts((s) => s.snippets);
  const [name, setName] = useState('');
  const [body, setBody] = useState('');
  const [error, setError] = useState<OutpostError | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  useDismiss(panel, onClose);
  return (
    <div ref={panel} className="popover insert-menu" role="dialog" aria-label={t('compose.snippets.title')}>
      {snippets.length === 0 && <p className="hint">{t('compose.snippets.empty')}</p>}
      <ul className="insert-list">
        {snippets.map((snippet) => (
          <li key={snippet.id}>
            <button
              type="button"
              className="button subtle insert-item"
              aria-label={t('compose.snippets.insert', { name: snippet.name })}
              onClick={() => {
                onInsert(snippet.body);
                onClose();
              }}
            >
              <strong>{snippet.name}</strong> <bdi className="muted">{snippet.body.slice(0, 60)}</bdi>
            </button>
            <button
              type="button"
              className="button subtle small"
              aria-label={t('compose.snippets.delete', { name: snippet.name })}
              onClick={async () => setError(await useInserts.getState().deleteSnippet(snippet.id))}
            >
              <span aria-hidden="true">✕</span>
            </button>
          </li>
        ))}
      </ul>
      <form
        className="form compact"
        onSubmit={async (e) => {
          e.preventDefault();
          const failed = await useInserts.getState().saveSnippet({ name, body });
          setError(failed);
          if (!failed) {
            setName('');
            setBody('');
          }
        }}
      >
        <input aria-label={t('compose.snippets.name')} placeholder={t('compose.snippets.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <textarea aria-label={t('compose.snippets.body')} placeholder={t('compose.snippets.body')} rows={2} value={body} onChange={(e) => setBody(e.target.value)} dir="auto" />
        {error && (
          <p className="error" role="alert">
            {errorText(error)}
          </p>
        )}
        <button type="submit" className="button">
          {t('compose.snippets.save')}
        </button>
      </form>
    </div>
  );
}
