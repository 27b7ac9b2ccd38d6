import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PostProblem } from '../../../../main/core/contract';
import type { PostCheck } from '../../../../main/core/networks/check';
import { findEntities, type LinkEntity } from '../../../../main/core/networks/entities';
import { readinessProblems } from '../../../../main/core/posts/readiness';
import { fromLocal } from '../../../../main/core/posts/time';
import { Dialog } from '../../ui/Dialog';
import { PostPublishing } from '../publishing/PostPublishing';
import { useErrorText } from '../../ui/useErrorText';
import { useCompose, type DraftFields, type DraftTarget } from './compose-store';
import { Counter } from './Counter';
import { EmojiPicker } from './EmojiPicker';
import { HashtagMenu, SnippetMenu } from './InsertMenus';
import { MediaPanel } from './MediaPanel';
import { Preview } from './Preview';
import { useProblemText } from './problem-text';
import { TextEditor, type TextEditorHandle } from './TextEditor';
import { useAccountInfo, useTargetViews, type TargetView } from './use-targets';
import { UtmDialog } from './UtmDialog';

type Tab = 'all' | string;
type Popover = 'emoji' | 'hashtags' | 'snippets' | null;

interface ComposerProps {
  timezone: string;
}

/** The open post: targets, text per tab with its tools, media, details, schedule and previews. */
export function Composer({ timezone }: ComposerProps) {
  const { t, i18n } = useTranslation();
  const post = useCompose((s) => s.post);
  const draft = useCompose((s) => s.draft) as DraftFields;
  const accounts = useCompose((s) => s.accounts);
  const facts = useCompose((s) => s.media);
  const edit = useCompose((s) => s.edit);
  const [tab, setTab] = useState<Tab>('all');
  const [popover, setPopover] = useState<Popover>(null);
  const [utmLink, setUtmLink] = useState<LinkEntity | null>(null);
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const editor = useRef<TextEditorHandle>(null);

  const accountInfo = useAccountInfo(accounts, post?.targets);
  const views = useTargetViews(draft, accountInfo, facts);
  const current = tab === 'all' ? undefined : views.find((v) => v.accountId === tab);
  if (tab !== 'all' && !draft.targets.some((x) => x.accountId === tab)) setTab('all');

  const editable = post ? ['draft', 'scheduled', 'failed'].includes(post.status) : false;
  const postId = post?.id ?? '';

  const setTargets = (targets: DraftTarget[]) => edit({ targets });
  const updateTarget = (accountId: string, change: Partial<DraftTarget>) =>
    setTargets(draft.targets.map((x) => (x.accountId === accountId ? { ...x, ...change } : x)));

  const onHistoryChange = useCallback((state: { canUndo: boolean; canRedo: boolean }) => setHistory(state), []);
  const blur = useCallback(() => void useCompose.getState().flush(), []);
  const closePopover = useCallback(() => setPopover(null), []);

  // The text the toolbar acts on: the post's, or the open target's own.
  const ownText = current?.ownText ?? false;
  const activeText = tab === 'all' ? draft.body : ownText ? (current?.text ?? '') : null;
  const setActiveText = (text: string) => {
    if (tab === 'all') edit({ body: text });
    else updateTarget(tab, { bodyOverride: text });
  };
  const links = useMemo(
    () => (activeText ? findEntities(activeText).filter((e): e is LinkEntity => e.type === 'link') : []),
    [activeText],
  );

  const checks = useMemo(() => new Map<string, PostCheck>(views.map((v) => [v.accountId, v.check])), [views]);
  const now = useNow(15_000);
  const scheduledAt = draft.local ? fromLocal(draft.local, timezone) : null;
  const problems = readinessProblems({
    targets: views,
    scheduledAt,
    now,
    autoDeleteAfterMs: draft.autoDeleteAfterMs,
    checks,
  });
  const blocking = problems.filter((p) => p.severity === 'error');

  const counterViews = current ? [current] : views;

  return (
    <div className="composer">
      <ComposerHeader />

      <fieldset className="compose-section targets" disabled={!editable}>
        <legend>{t('compose.targets.title')}</legend>
        {accounts.length === 0 && <p className="hint">{t('compose.targets.none')}</p>}
        <div className="target-choices">
          {accounts.map((a) => {
            const checked = draft.targets.some((x) => x.accountId === a.id);
            return (
              <label key={a.id} className="target-choice">
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={() =>
                    setTargets(
                      checked
                        ? draft.targets.filter((x) => x.accountId !== a.id)
                        : [...draft.targets, { accountId: a.id, bodyOverride: null, mediaOverride: null }],
                    )
                  }
                />
                <span className={`net-dot net-${a.network}`} aria-hidden="true" />
                <span>
                  {t('compose.targets.account', { network: t(`networks.${a.network}`), handle: a.handle })}
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>

      <div className="tabs" role="tablist" aria-label={t('compose.tabs.label')}>
        <button type="button" role="tab" id="tab-all" aria-controls="tab-panel" aria-selected={tab === 'all'} onClick={() => setTab('all')}>
          {t('compose.tabs.all')}
        </button>
        {views.map((v) => (
          <button
            key={v.accountId}
            type="button"
            role="tab"
            id={`tab-${v.accountId}`}
            aria-controls="tab-panel"
            aria-selected={tab === v.accountId}
            className={v.check.ok ? undefined : 'has-error'}
            onClick={() => setTab(v.accountId)}
          >
            <span className={`net-dot net-${v.network}`} aria-hidden="true" />
            {t('compose.tabs.target', { network: t(`networks.${v.network}`), handle: v.handle })}
            {(v.ownText || v.ownMedia) && <span className="badge">{t('compose.tabs.own')}</span>}
          </button>
        ))}
      </div>

      <div className="tab-panel" role="tabpanel" id="tab-panel" aria-labelledby={tab === 'all' ? 'tab-all' : `tab-${tab}`}>
        {current && (
          <div className="override-toggles">
            <label className="checkbox">
              <input
                type="checkbox"
                disabled={!editable}
                checked={current.ownText}
                onChange={() => updateTarget(current.accountId, { bodyOverride: current.ownText ? null : draft.body })}
              />
              {t('compose.override.text', { network: t(`networks.${current.network}`) })}
            </label>
            <label className="checkbox">
              <input
                type="checkbox"
                disabled={!editable}
                checked={current.ownMedia}
                onChange={() => updateTarget(current.accountId, { mediaOverride: current.ownMedia ? null : [...draft.media] })}
              />
              {t('compose.override.media', { network: t(`networks.${current.network}`) })}
            </label>
          </div>
        )}

        {activeText !== null ? (
          <>
            <div className="toolbar" role="toolbar" aria-label={t('compose.toolbar.label')}>
              <button type="button" className="button small" disabled={!editable || !history.canUndo} onClick={() => editor.current?.undo()}>
                {t('compose.toolbar.undo')}
              </button>
              <button type="button" className="button small" disabled={!editable || !history.canRedo} onClick={() => editor.current?.redo()}>
                {t('compose.toolbar.redo')}
              </button>
              <span className="toolbar-gap" />
              {(['emoji', 'hashtags', 'snippets'] as const).map((name) => (
                <button
                  key={name}
                  type="button"
                  className="button small"
                  disabled={!editable}
                  aria-expanded={popover === name}
                  aria-haspopup="dialog"
                  onClick={() => setPopover(popover === name ? null : name)}
                >
                  {t(`compose.toolbar.${name}`)}
                </button>
              ))}
            </div>
            {popover === 'emoji' && (
              <EmojiPicker onPick={(emoji) => editor.current?.insert(emoji)} onClose={closePopover} />
            )}
            {popover === 'hashtags' && (
              <HashtagMenu onInsert={(text) => editor.current?.insert(` ${text}`)} onClose={closePopover} />
            )}
            {popover === 'snippets' && <SnippetMenu onInsert={(text) => editor.current?.insert(text)} onClose={closePopover} />}
            <TextEditor
              ref={editor}
              key={`${postId}:${tab}`}
              historyKey={`${postId}:${tab}`}
              label={
                current
                  ? t('compose.editor.target', { network: t(`networks.${current.network}`), handle: current.handle })
                  : t('compose.editor.post')
              }
              value={activeText}
              onChange={setActiveText}
              onBlur={blur}
              onHistoryChange={onHistoryChange}
              disabled={!editable}
              placeholder={t('compose.editor.placeholder')}
              describedBy="counters"
              rows={10}
            />
          </>
        ) : (
          <p className="hint">{t('compose.override.usesPost')}</p>
        )}

        {links.length > 0 && (
          <div className="links" aria-label={t('compose.links.title')} role="group">
            {links.map((link) => (
              <div key={link.start} className="link-row">
                <bdi className="mono link-text" dir="ltr">
                  {link.text}
                </bdi>
                <button type="button" className="button small" disabled={!editable} onClick={() => setUtmLink(link)}>
                  {t('compose.links.utm')}
                </button>
              </div>
            ))}
          </div>
        )}

        <div id="counters" className="counters" aria-label={t('compose.counter.title')} role="group">
          {counterViews.map((v) => (
            <Counter key={v.accountId} network={v.network} handle={v.handle} check={v.check} />
          ))}
        </div>

        {tab === 'all' ? (
          <MediaPanel
            title={t('compose.media.title')}
            ids={draft.media}
            facts={facts}
            problems={problems}
            disabled={!editable}
            onChange={(media) => edit({ media })}
            onAttach={(items) => useCompose.getState().rememberMedia(items)}
          />
        ) : current?.ownMedia ? (
          <MediaPanel
            title={t('compose.media.titleFor', { network: t(`networks.${current.network}`) })}
            ids={draft.targets.find((x) => x.accountId === tab)?.mediaOverride ?? []}
            facts={facts}
            problems={problems.filter((p) => p.accountId === tab)}
            disabled={!editable}
            onChange={(media) => updateTarget(tab, { mediaOverride: media })}
            onAttach={(items) => useCompose.getState().rememberMedia(items)}
          />
        ) : null}
      </div>

      {utmLink && activeText !== null && (
        <UtmDialog
          link={utmLink.text}
          defaultSource={current ? current.network : ''}
          onClose={() => setUtmLink(null)}
          onApply={(next) => {
            editor.current?.replace(utmLink.start, utmLink.end, next);
            setUtmLink(null);
          }}
        />
      )}

      <Details editable={editable} views={views} />

      <SchedulePanel timezone={timezone} problems={problems} blocking={blocking} editable={editable} />

      {post && <PostPublishing post={post} />}

      <Previews views={views} when={draft.local ? formatWhen(draft.local, i18n.language) : null} />
    </div>
  );
}

/** The time, refreshed every so often, so "the time has passed" appears without a keystroke. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

function formatWhen(local: string, language: string): string {
  const [date, time] = local.split('T');
  const [y, m, d] = (date ?? '').split('-').map(Number);
  const day = new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, d ?? 1));
  return `${new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day)}, ${time}`;
}

/** Previews trail the text by a frame when typing is fast, so they never hold up a keystroke. */
function Previews({ views, when }: { views: TargetView[]; when: string | null }) {
  const { t } = useTranslation();
  const deferred = useDeferredValue(views);
  return (
    <section className="compose-section" aria-label={t('compose.preview.title')}>
      <h3>{t('compose.preview.title')}</h3>
      {deferred.length === 0 && <p className="hint">{t('compose.preview.none')}</p>}
      <div className="previews">
        {deferred.map((v) => (
          <Preview
            key={v.accountId}
            network={v.network}
            displayName={v.displayName}
            handle={v.handle}
            text={v.text}
            media={v.media}
            when={when}
          />
        ))}
      </div>
    </section>
  );
}

function ComposerHeader() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const post = useCompose((s) => s.post);
  const saveState = useCompose((s) => s.saveState);
  const saveError = useCompose((s) => s.saveError);
  const unscheduledByEdit = useCompose((s) => s.unscheduledByEdit);
  const actionError = useCompose((s) => s.actionError);
  const [confirmDelete, setConfirmDelete] = useState(false);
  if (!post) return null;

  return (
    <>
      <div className="composer-head">
        <span className={`status-badge status-${post.status}`}>{t(`compose.status.${post.status}`)}</span>
        <p className={`save-state save-${saveState}`} role="status" aria-live="polite">
          {t(`compose.save.${saveState}`)}
        </p>
        <span className="spacer" />
        <button type="button" className="button" onClick={() => void useCompose.getState().duplicate()}>
          {t('compose.duplicate')}
        </button>
        <button type="button" className="button danger" onClick={() => setConfirmDelete(true)}>
          {t('compose.delete')}
        </button>
      </div>
      {saveState === 'conflict' && (
        <div className="notice warn" role="alert">
          <p>{t('compose.conflict.body')}</p>
          <div className="dialog-actions">
            <button type="button" className="button primary" onClick={() => void useCompose.getState().keepMine()}>
              {t('compose.conflict.keepMine')}
            </button>
            <button type="button" className="button" onClick={() => void useCompose.getState().takeTheirs()}>
              {t('compose.conflict.takeTheirs')}
            </button>
          </div>
        </div>
      )}
      {saveState === 'refused' && saveError && (
        <p className="notice error" role="alert">
          {errorText(saveError)}
        </p>
      )}
      {unscheduledByEdit && (
        <p className="notice warn" role="alert">
          {t('compose.unscheduledByEdit')}
        </p>
      )}
      {actionError && (
        <p className="notice error" role="alert">
          {errorText(actionError)}
        </p>
      )}
      {confirmDelete && (
        <Dialog title={t('compose.deleteDialog.title')} onClose={() => setConfirmDelete(false)}>
          <p>{t(post.status === 'published' ? 'compose.deleteDialog.published' : 'compose.deleteDialog.body')}</p>
          <div className="dialog-actions">
            <span className="spacer" />
            <button type="button" className="button" onClick={() => setConfirmDelete(false)}>
              {t('compose.cancel')}
            </button>
            <button
              type="button"
              className="button danger"
              onClick={async () => {
                const done = await useCompose.getState().remove();
                if (done) setConfirmDelete(false);
              }}
            >
              {t('compose.deleteDialog.confirm')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

const HOUR_MS = 3_600_000;
/** The auto-delete choices: common paid periods, all within the bounds posts.update accepts. */
const AUTO_DELETE_CHOICES = [1, 6, 24, 48, 7 * 24, 30 * 24].map((hours) => hours * HOUR_MS);

function autoDeleteLabel(ms: number, t: (key: string, options?: Record<string, unknown>) => string): string {
  const hours = ms / HOUR_MS;
  return hours > 48 && hours % 24 === 0 ? t('compose.details.autoDeleteDays', { count: hours / 24 }) : t('compose.details.autoDeleteHours', { count: hours });
}

function Details({ editable, views }: { editable: boolean; views: readonly TargetView[] }) {
  const { t } = useTranslation();
  const autoDelete = useCompose((s) => s.draft?.autoDeleteAfterMs ?? null);
  // One note per network that limits deleting (Telegram bots: 48 hours), whichever accounts are ticked.
  const windows = [...new Map(views.flatMap((v) => (v.deleteWindowMs === null ? [] : [[v.network, v.deleteWindowMs] as const]))).entries()];
  // A delay set elsewhere (not one of the choices) stays visible and selected.
  const choices = autoDelete === null || AUTO_DELETE_CHOICES.includes(autoDelete) ? AUTO_DELETE_CHOICES : [...AUTO_DELETE_CHOICES, autoDelete].sort((a, b) => a - b);
  const firstComment = useCompose((s) => s.draft?.firstComment ?? '');
  const notes = useCompose((s) => s.draft?.notes ?? '');
  const labels = useCompose((s) => s.draft?.labels);
  const postId = useCompose((s) => s.post?.id);
  const edit = useCompose((s) => s.edit);
  const blur = () => void useCompose.getState().flush();
  // Typed as text so a half-written label ("Launch, ") is not tidied away under the caret.
  const [labelText, setLabelText] = useState((labels ?? []).join(', '));
  const [labelsOf, setLabelsOf] = useState(postId);
  if (labelsOf !== postId) {
    setLabelsOf(postId);
    setLabelText((labels ?? []).join(', '));
  }

  return (
    <section className="compose-section details" aria-label={t('compose.details.title')}>
      <h3>{t('compose.details.title')}</h3>
      <div className="details-grid">
        <div className="field">
          <label htmlFor="first-comment">{t('compose.details.firstComment')}</label>
          <textarea
            id="first-comment"
            dir="auto"
            rows={2}
            disabled={!editable}
            value={firstComment}
            onBlur={blur}
            onChange={(e) => edit({ firstComment: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="notes">{t('compose.details.notes')}</label>
          <textarea id="notes" dir="auto" rows={2} value={notes} onBlur={blur} onChange={(e) => edit({ notes: e.target.value })} />
          <p className="hint">{t('compose.details.notesHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="labels">{t('compose.details.labels')}</label>
          <input
            id="labels"
            dir="auto"
            value={labelText}
            onBlur={blur}
            onChange={(e) => {
              setLabelText(e.target.value);
              edit({ labels: e.target.value.split(',').map((l) => l.trim()).filter(Boolean) });
            }}
          />
          <p className="hint">{t('compose.details.labelsHint')}</p>
        </div>
        <div className="field">
          <label htmlFor="auto-delete">{t('compose.details.autoDelete')}</label>
          <select
            id="auto-delete"
            aria-describedby="auto-delete-hint"
            disabled={!editable}
            value={autoDelete === null ? '' : String(autoDelete)}
            onChange={(e) => {
              edit({ autoDeleteAfterMs: e.target.value === '' ? null : Number(e.target.value) });
              blur();
            }}
          >
            <option value="">{t('compose.details.autoDeleteOff')}</option>
            {choices.map((ms) => (
              <option key={ms} value={String(ms)}>
                {autoDeleteLabel(ms, t)}
              </option>
            ))}
          </select>
          <p className="hint" id="auto-delete-hint">
            {t('compose.details.autoDeleteHint')}
            {windows.map(([network, ms]) => ' ' + t('compose.details.autoDeleteWindow', { network: t(`networks.${network}`), hours: ms / HOUR_MS })).join('')}
          </p>
        </div>
      </div>
    </section>
  );
}

interface SchedulePanelProps {
  timezone: string;
  problems: PostProblem[];
  blocking: PostProblem[];
  editable: boolean;
}

function SchedulePanel({ timezone, problems, blocking, editable }: SchedulePanelProps) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const local = useCompose((s) => s.draft?.local ?? null);
  const status = useCompose((s) => s.post?.status);
  const busy = useCompose((s) => s.busy);
  const mainProblems = useCompose((s) => s.scheduleProblems);
  const edit = useCompose((s) => s.edit);
  const warnings = problems.filter((p) => p.severity === 'warning');
  const shown = mainProblems && mainProblems.length > 0 && blocking.length === 0 ? mainProblems : blocking;

  return (
    <section className="compose-section schedule" aria-label={t('compose.schedule.title')}>
      <h3>{t('compose.schedule.title')}</h3>
      <div className="schedule-row">
        <div className="field">
          <label htmlFor="post-time">{t('compose.schedule.time', { zone: timezone })}</label>
          <input
            id="post-time"
            type="datetime-local"
            disabled={!editable}
            value={local ?? ''}
            onChange={(e) => edit({ local: e.target.value || null })}
          />
        </div>
        {status === 'scheduled' ? (
          <button type="button" className="button" onClick={() => void useCompose.getState().unschedule()}>
            {t('compose.schedule.unschedule')}
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={!editable || busy || blocking.length > 0}
            aria-describedby="schedule-problems"
            onClick={() => void useCompose.getState().schedule()}
          >
            {t('compose.schedule.schedule')}
          </button>
        )}
      </div>
      <div id="schedule-problems">
        {shown.length > 0 && status !== 'published' && status !== 'needs_attention' && (
          <>
            <p className="problems-title">{t('compose.schedule.blocked')}</p>
            <ul className="problems" aria-label={t('compose.schedule.blocked')}>
              {shown.map((p, i) => (
                <li key={i} className="error">
                  {problemText(p)}
                </li>
              ))}
            </ul>
          </>
        )}
        {warnings.length > 0 && (
          <ul className="problems warnings" aria-label={t('compose.schedule.warnings')}>
            {warnings.map((p, i) => (
              <li key={i} className="warn">
                {problemText(p)}
              </li>
            ))}
          </ul>
        )}
        {status === 'scheduled' && <p className="hint">{t('compose.schedule.scheduledHint')}</p>}
      </div>
    </section>
  );
}
