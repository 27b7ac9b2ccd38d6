import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Post, Target } from '../../../../main/core/contract';
import { editsPublished } from '../../../../main/core/networks/edits';

/**
 * A message already out, on a network that lets Outpost change it in place (Discord): its words
 * edited there, not posted again. One editor per such target, closed until asked for.
 */
export function EditPublished({ post, busy, onSave }: { post: Post; busy: boolean; onSave(target: Target, text: string): Promise<boolean> }) {
  const editable = post.targets.filter((t) => t.state === 'published' && editsPublished(t.network));
  if (editable.length === 0) return null;
  return (
    <div className="edit-published">
      {editable.map((target) => (
        <EditOne key={target.id} target={target} text={target.bodyOverride ?? post.body} busy={busy} onSave={(text) => onSave(target, text)} />
      ))}
    </div>
  );
}

function EditOne({ target, text, busy, onSave }: { target: Target; text: string; busy: boolean; onSave(text: string): Promise<boolean> }) {
  const { t } = useTranslation();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const network = t(`networks.${target.network}`);
  if (draft === null) {
    return (
      <button type="button" className="button" disabled={busy} onClick={() => setDraft(text)}>
        {t('publishing.edit.open', { network, handle: target.handle })}
      </button>
    );
  }
  return (
    <div className="edit-published-form">
      <label htmlFor={id}>{t('publishing.edit.label', { network, handle: target.handle })}</label>
      <textarea id={id} dir="auto" rows={5} value={draft} onChange={(e) => setDraft(e.target.value)} />
      <div className="edit-published-actions">
        <button
          type="button"
          className="button primary"
          disabled={busy || draft.trim() === '' || draft.trim() === text.trim()}
          onClick={() => {
            void onSave(draft).then((saved) => {
              if (saved) setDraft(null);
            });
          }}
        >
          {t('publishing.edit.save', { network })}
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => setDraft(null)}>
          {t('publishing.edit.cancel')}
        </button>
      </div>
    </div>
  );
}
