import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { takesPolls } from '../../../../main/core/networks/polls';
import { hasSpintax } from '../../../../main/core/spintax';
import { useTranslation } from 'react-i18next';
import type { PostCheck } from '../../../../main/core/networks/check';
import { findEntities, type LinkEntity } from '../../../../main/core/networks/entities';
import { readinessProblems } from '../../../../main/core/posts/readiness';
import { fromLocal } from '../../../../main/core/posts/time';
import { unawaited } from '../../platform/unawaited';
import type { DraftFields, DraftTarget } from '../post/draft';
import { useOpenPost } from '../post/open-post-store';
import { PostPublishing } from '../publishing/PostPublishing';
import { ComposerHeader } from './ComposerHeader';
import { Counter } from './Counter';
import { Details } from './Details';
import { EmojiPicker } from './EmojiPicker';
import { HashtagMenu, SnippetMenu } from './InsertMenus';
import { LinkCardPanel } from './LinkCardPanel';
import { PollEditor } from './PollEditor';
import { ThreadParts } from './ThreadParts';
import { UniqueWording } from './UniqueWording';
import { MediaPanel } from './MediaPanel';
import { useVideoStreams } from './video-streams';
import { formatWhen, Previews } from './Previews';
import { SchedulePanel } from './SchedulePanel';
import { useRelayKind } from '../settings/relay-store';
import { TextEditor, type TextEditorHandle } from './TextEditor';
import { useAccountInfo, useTargetViews } from './use-targets';
import { UtmDialog } from './UtmDialog';
import { ThreadsOptions } from './ThreadsOptions';
import { PinterestOptions } from './PinterestOptions';
import { DiscordOptions } from './DiscordOptions';
import { YouTubeOptions } from './YouTubeOptions';
import { VkOptions } from './VkOptions';
import { isEditable } from '../../../../main/core/posts/editable';
import type { Account } from '../../../../main/core/contract';
import { PlanNetworkPicker } from '../accounts/PlannedNetworks';
import { useStable } from '../../ui/use-stable';

type Tab = 'all' | string;
type Popover = 'emoji' | 'hashtags' | 'snippets' | null;

interface ComposerProps {
  timezone: string;
}

/** The open post: targets, text per tab with its tools, media, details, schedule and previews. */
export function Composer({ timezone }: ComposerProps) {
  const { t, i18n } = useTranslation();
  const post = useOpenPost((s) => s.post);
  const draft = useOpenPost((s) => s.draft) as DraftFields;
  const accounts = useOpenPost((s) => s.accounts);
  // Videos carry their frame rate and codecs too, read in the window, for the networks' video rules.
  const facts = useVideoStreams(useOpenPost((s) => s.media));
  const edit = useOpenPost((s) => s.edit);
  const [tab, setTab] = useState<Tab>('all');
  const [popover, setPopover] = useState<Popover>(null);
  const [utmLink, setUtmLink] = useState<LinkEntity | null>(null);
  const [history, setHistory] = useState({ canUndo: false, canRedo: false });
  const editor = useRef<TextEditorHandle>(null);

  const accountInfo = useAccountInfo(accounts, post?.targets);
  const views = useTargetViews(draft, accountInfo, facts, post?.id);
  const current = tab === 'all' ? undefined : views.find((v) => v.accountId === tab);
  if (tab !== 'all' && !draft.targets.some((x) => x.accountId === tab)) setTab('all');

  const editable = post ? isEditable(post.status) : false;
  const postId = post?.id ?? '';

  const setTargets = useCallback((targets: DraftTarget[]) => edit({ targets }), [edit]);
  const updateTarget = (accountId: string, change: Partial<DraftTarget>) =>
    setTargets(draft.targets.map((x) => (x.accountId === accountId ? { ...x, ...change } : x)));

  // Called after every keystroke: an unchanged state keeps the old object, or the whole composer would render twice per key.
  const onHistoryChange = useCallback(
    (state: { canUndo: boolean; canRedo: boolean }) =>
      setHistory((prev) => (prev.canUndo === state.canUndo && prev.canRedo === state.canRedo ? prev : state)),
    [],
  );
  const blur = useCallback(() => unawaited(useOpenPost.getState().flush(), 'Saving the post'), []);
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
  const mediaRelay = useRelayKind(post?.projectId);
  const problems = readinessProblems({
    targets: views,
    scheduledAt,
    now,
    autoDeleteAfterMs: draft.autoDeleteAfterMs,
    checks,
    firstComment: draft.firstComment,
    networkOptions: draft.networkOptions,
    partMedia: (ids) => ids.flatMap((id) => facts[id] ?? []),
    ...(mediaRelay ? { mediaRelay } : {}),
  });
  // Recomputed on every keystroke; the same content keeps the same arrays, so memoised panels skip rendering.
  const stableProblems = useStable(problems, JSON.stringify(problems));
  const blocking = useMemo(() => stableProblems.filter((p) => p.severity === 'error'), [stableProblems]);
  const scheduleTargets = useStable(
    views.map(({ accountId, network, handle }) => ({ accountId, network, handle })),
    views.map((v) => `${v.accountId} ${v.network} ${v.handle}`).join('\n'),
  );
  const detailTargets = useStable(
    views.map(({ network, deleteWindowMs }) => ({ network, deleteWindowMs })),
    views.map((v) => `${v.network} ${v.deleteWindowMs}`).join('\n'),
  );
  const tabs = useStable(
    views.map(({ accountId, network, handle, ownText, ownMedia, check }) => ({ accountId, network, handle, own: ownText || ownMedia, ok: check.ok })),
    views.map((v) => `${v.accountId} ${v.network} ${v.handle} ${v.ownText || v.ownMedia} ${v.check.ok}`).join('\n'),
  );

  const counterViews = current ? [current] : views;

  return (
    <div className="composer">
      <div className="composer-editor">
        <ComposerHeader />

        <TargetChoices projectId={post?.projectId ?? null} accounts={accounts} targets={draft.targets} editable={editable} onChange={setTargets} />

        <TabList tabs={tabs} tab={tab} onSelect={setTab} />

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

          {(draft.targets.length > 1 || hasSpintax(draft.body)) && <UniqueWording editable={editable} />}

          {tab === 'all' ? (
            <MediaPanel
              title={t('compose.media.title')}
              ids={draft.media}
              facts={facts}
              problems={problems}
              disabled={!editable}
              onChange={(media) => edit({ media })}
              onAttach={(items) => useOpenPost.getState().rememberMedia(items)}
            />
          ) : current?.ownMedia ? (
            <MediaPanel
              title={t('compose.media.titleFor', { network: t(`networks.${current.network}`) })}
              ids={draft.targets.find((x) => x.accountId === tab)?.mediaOverride ?? []}
              facts={facts}
              problems={problems.filter((p) => p.accountId === tab)}
              disabled={!editable}
              onChange={(media) => updateTarget(tab, { mediaOverride: media })}
              onAttach={(items) => useOpenPost.getState().rememberMedia(items)}
            />
          ) : null}

          {/* A post with pictures shows them instead of a card on Bluesky and Telegram, so it needs none. */}
          {tab === 'all' && <ThreadParts editable={editable} targets={views} facts={facts} problems={stableProblems} />}
          {tab === 'all' && views.some((v) => takesPolls(v.network)) && <PollEditor editable={editable} />}
          {tab === 'all' && postId && draft.media.length === 0 && <LinkCardPanel postId={postId} text={draft.body} editable={editable} telegram={views.some((v) => v.network === 'telegram')} />}
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

        <Details editable={editable} views={detailTargets} />

        {views.some((v) => v.network === 'vk') && <VkOptions editable={editable} />}
        {views.some((v) => v.network === 'threads') && (
          <ThreadsOptions editable={editable} hasMedia={views.some((v) => v.network === 'threads' && v.media.length > 0)} />
        )}
        {views.some((v) => v.network === 'pinterest') && <PinterestOptions editable={editable} />}
        {views.some((v) => v.network === 'discord') && <DiscordOptions editable={editable} />}
        {views.some((v) => v.network === 'youtube') && <YouTubeOptions editable={editable} video={views.find((v) => v.network === 'youtube')?.media.find((m) => m.mime.startsWith('video/'))} />}

        <SchedulePanel timezone={timezone} problems={stableProblems} blocking={blocking} editable={editable} targets={scheduleTargets} />
      </div>

      {/* Beside the editor on wide windows (compose.css), so what is typed and how it looks are seen together. */}
      <div className="composer-previews">
        <Previews views={views} when={draft.local ? formatWhen(draft.local, i18n.language) : null} options={draft.networkOptions} facts={facts} />
      </div>

      {/* Under both columns: its history table needs the full width. */}
      {post && (
        <div className="composer-publishing">
          <PostPublishing post={post} />
        </div>
      )}
    </div>
  );
}

type AccountChoice = Account;

/** The accounts to tick; memoised, since typing the text changes neither them nor the ticks. */
const TargetChoices = memo(function TargetChoices({
  projectId,
  accounts,
  targets,
  editable,
  onChange,
}: {
  projectId: string | null;
  accounts: readonly AccountChoice[];
  targets: DraftTarget[];
  editable: boolean;
  onChange(targets: DraftTarget[]): void;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="compose-section targets" disabled={!editable}>
      <legend>{t('compose.targets.title')}</legend>
      {accounts.length === 0 && <p className="hint">{t('compose.targets.none')}</p>}
      <div className="target-choices">
        {accounts.map((a) => {
          const checked = targets.some((x) => x.accountId === a.id);
          return (
            <label key={a.id} className="target-choice">
              <input
                type="checkbox"
                checked={checked}
                onChange={() =>
                  onChange(
                    checked
                      ? targets.filter((x) => x.accountId !== a.id)
                      : [...targets, { accountId: a.id, bodyOverride: null, mediaOverride: null }],
                  )
                }
              />
              <span className={`net-dot net-${a.network}`} aria-hidden="true" />
              <span>
                {a.status === 'planned'
                  ? t('compose.targets.planned', { network: t(`networks.${a.network}`) })
                  : t('compose.targets.account', { network: t(`networks.${a.network}`), handle: a.handle })}
              </span>
            </label>
          );
        })}
      </div>
      {/* A new client's first month can be drafted before access is granted: plan the network, draft for it, hand it over later. */}
      {projectId && editable && (
        <PlanNetworkPicker
          compact
          projectId={projectId}
          accounts={accounts}
          onPlanned={(account) => {
            if (!targets.some((x) => x.accountId === account.id)) onChange([...targets, { accountId: account.id, bodyOverride: null, mediaOverride: null }]);
          }}
        />
      )}
    </fieldset>
  );
});

interface TabView {
  accountId: string;
  network: AccountChoice['network'];
  handle: string;
  own: boolean;
  ok: boolean;
}

/** "All" and one tab per ticked account, marked when its text does not fit or is its own. */
const TabList = memo(function TabList({ tabs, tab, onSelect }: { tabs: readonly TabView[]; tab: Tab; onSelect(tab: Tab): void }) {
  const { t } = useTranslation();
  return (
    <div className="tabs" role="tablist" aria-label={t('compose.tabs.label')}>
      <button type="button" role="tab" id="tab-all" aria-controls="tab-panel" aria-selected={tab === 'all'} onClick={() => onSelect('all')}>
        {t('compose.tabs.all')}
      </button>
      {tabs.map((v) => (
        <button
          key={v.accountId}
          type="button"
          role="tab"
          id={`tab-${v.accountId}`}
          aria-controls="tab-panel"
          aria-selected={tab === v.accountId}
          className={v.ok ? undefined : 'has-error'}
          onClick={() => onSelect(v.accountId)}
        >
          <span className={`net-dot net-${v.network}`} aria-hidden="true" />
          {t('compose.tabs.target', { network: t(`networks.${v.network}`), handle: v.handle })}
          {v.own && <span className="badge">{t('compose.tabs.own')}</span>}
        </button>
      ))}
    </div>
  );
});

/** The time, refreshed every so often, so "the time has passed" appears without a keystroke. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
