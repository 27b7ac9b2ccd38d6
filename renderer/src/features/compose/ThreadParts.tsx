import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { NetworkOptions, PostMediaItem, PostProblem } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import type { PostCheck } from '../../../../main/core/networks/check';
import { tightestTextCount } from '../../../../main/core/networks/count';
import type { NetworkId } from '../../../../main/core/networks/ids';
import type { RuleOptions } from '../../../../main/core/networks/rules';
import { checkTarget } from '../../../../main/core/posts/readiness';
import { chainTexts, splitIntoThread, takesChains, THREAD_PARTS_MAX, type ThreadOptions, type ThreadPart } from '../../../../main/core/posts/thread';
import { invoke } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useErrorText } from '../../ui/useErrorText';
import { useOpenPost } from '../post/open-post-store';
import { Counter } from './Counter';
import { MediaPanel } from './MediaPanel';
import { useProblemText } from './problem-text';
import './thread-parts.css';

/** A ticked account as the thread needs it: its network's count, and the first part's text as worded for it. */
export interface ThreadTarget {
  accountId: string;
  network: NetworkId;
  handle: string;
  ruleOptions: RuleOptions;
  text: string;
  media: readonly PostMediaItem[];
  /** The composer's check of the post's text for this account, already made as the user types. */
  check: PostCheck;
}

interface ThreadPartsProps {
  editable: boolean;
  targets: readonly ThreadTarget[];
  facts: Record<string, PostMediaItem>;
  problems: readonly PostProblem[];
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/**
 * The post as a thread (issue 12 item 6): parts after the post itself, each with its text, media
 * and a counter per ticked account whose network takes threads; added, removed and reordered here.
 * "Split into a thread" cuts the post's text at sentence ends to fit the strictest of them. Once
 * published, a thread that stopped says where and why, and can go on.
 */
export function ThreadParts({ editable, targets, facts, problems }: ThreadPartsProps) {
  const { t } = useTranslation();
  const problemText = useProblemText();
  const all = useOpenPost((s) => s.draft?.networkOptions);
  const body = useOpenPost((s) => s.draft?.body ?? '');
  const edit = useOpenPost((s) => s.edit);
  const thread = all?.thread;
  const chains = targets.filter((x) => takesChains(x.network));
  const others = targets.filter((x) => !takesChains(x.network));
  const save = () => unawaited(useOpenPost.getState().flush(), 'Saving the post');
  const set = (next: ThreadOptions | undefined) => {
    const { thread: _left, ...rest } = all ?? {};
    const networkOptions: NetworkOptions = next && next.parts.length > 0 ? { ...rest, thread: next } : rest;
    edit({ networkOptions });
  };
  const parts = thread?.parts ?? [];
  const numbered = thread?.numbered ?? false;
  const total = parts.length + 1;
  const setParts = (next: ThreadPart[]) => set({ parts: next, numbered });
  // From the checks the composer already made: nothing is counted again on each keystroke.
  const tooLong = chains.some((x) => {
    const count = tightestTextCount(x.check.counts);
    return count !== undefined && count.used > count.limit;
  });

  const split = () => {
    const pieces = splitIntoThread(body, chains, numbered || parts.length === 0);
    if (pieces.length < 2) return;
    const [first, ...rest] = pieces as [string, ...string[]];
    const { thread: _left, ...others } = all ?? {};
    edit({ body: first, networkOptions: { ...others, thread: { parts: [...rest.map((text) => ({ text, media: [] })), ...parts].slice(0, THREAD_PARTS_MAX), numbered: numbered || parts.length === 0 } } });
    save();
  };

  if (chains.length === 0 && !thread) return null;

  return (
    <section className="compose-section thread-parts" aria-label={t('compose.thread.title')}>
      <div className="section-head">
        <h3>{t('compose.thread.title')}</h3>
        <div className="thread-actions">
          {tooLong && (
            <button type="button" className="button" disabled={!editable} onClick={split}>
              {t('compose.thread.split')}
            </button>
          )}
          <button
            type="button"
            className="button"
            disabled={!editable || parts.length >= THREAD_PARTS_MAX}
            onClick={() => {
              setParts([...parts, { text: '', media: [] }]);
              save();
            }}
          >
            {t('compose.thread.add')}
          </button>
        </div>
      </div>
      {parts.length === 0 ? (
        <p className="hint">{tooLong ? t('compose.thread.tooLong') : t('compose.thread.hint')}</p>
      ) : (
        <>
          <label className="checkbox">
            <input
              type="checkbox"
              disabled={!editable}
              checked={numbered}
              onChange={(e) => {
                set({ parts, numbered: e.target.checked });
                save();
              }}
            />
            {t('compose.thread.numbered')}
          </label>
          <p className="hint">{t('compose.thread.first', { total })}</p>
          {/* Numbered, the post's own text goes out with its "1/3": counted here as sent, since the counter under the text counts it bare. */}
          {numbered && (
            <div className="counters" role="group" aria-label={t('compose.thread.counters', { position: 1 })}>
              {chains.map((x) => (
                <Counter
                  key={x.accountId}
                  network={x.network}
                  handle={x.handle}
                  check={checkTarget({ network: x.network, ruleOptions: x.ruleOptions, text: chainTexts(x.text, { parts, numbered })[0] ?? x.text, media: x.media })}
                />
              ))}
            </div>
          )}
          {others.length > 0 && (
            <p className="hint thread-others">
              {t('compose.thread.others', { networks: [...new Set(others.map((x) => t(`networks.${x.network}`)))].join(', ') })}
            </p>
          )}
          <ol className="thread-list">
            {parts.map((part, index) => {
              const position = index + 2;
              const mine = problems.filter((p) => p.params.part === position);
              return (
                <li key={index} className="thread-part" aria-label={t('compose.thread.part', { position, total })}>
                  <div className="thread-part-head">
                    <span className="thread-part-number" aria-hidden="true">
                      {t('compose.thread.part', { position, total })}
                    </span>
                    <span className="toolbar-gap" />
                    <button
                      type="button"
                      className="button subtle small"
                      disabled={!editable || index === 0}
                      aria-label={t('compose.thread.up', { position })}
                      onClick={() => {
                        setParts(move(parts, index, index - 1));
                        save();
                      }}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="button subtle small"
                      disabled={!editable || index === parts.length - 1}
                      aria-label={t('compose.thread.down', { position })}
                      onClick={() => {
                        setParts(move(parts, index, index + 1));
                        save();
                      }}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="button subtle small"
                      disabled={!editable}
                      aria-label={t('compose.thread.remove', { position })}
                      onClick={() => {
                        setParts(parts.filter((_, k) => k !== index));
                        save();
                      }}
                    >
                      ×
                    </button>
                  </div>
                  <textarea
                    className="thread-part-text"
                    dir="auto"
                    rows={3}
                    disabled={!editable}
                    aria-label={t('compose.thread.text', { position })}
                    value={part.text}
                    onChange={(e) => setParts(parts.map((p, k) => (k === index ? { ...p, text: e.target.value } : p)))}
                    onBlur={save}
                  />
                  <div className="counters" role="group" aria-label={t('compose.thread.counters', { position })}>
                    {chains.map((x) => (
                      <Counter
                        key={x.accountId}
                        network={x.network}
                        handle={x.handle}
                        check={checkTarget({
                          network: x.network,
                          ruleOptions: x.ruleOptions,
                          text: chainTexts(x.text, { parts, numbered })[position - 1] ?? part.text,
                          media: part.media.flatMap((id) => facts[id] ?? []),
                        })}
                      />
                    ))}
                  </div>
                  <MediaPanel
                    title={t('compose.thread.media', { position })}
                    ids={part.media}
                    facts={facts}
                    problems={mine}
                    disabled={!editable}
                    onChange={(media) => {
                      setParts(parts.map((p, k) => (k === index ? { ...p, media } : p)));
                      save();
                    }}
                    onAttach={(items) => useOpenPost.getState().rememberMedia(items)}
                  />
                  {mine.filter((p) => p.severity === 'error' && !p.mediaId).length > 0 && (
                    <ul className="thread-problems">
                      {mine
                        .filter((p) => p.severity === 'error' && !p.mediaId)
                        .map((p, k) => (
                          <li key={k}>{problemText(p)}</li>
                        ))}
                    </ul>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
      <ThreadProgressList />
    </section>
  );
}

/** "Published, thread stopped at part 2: <reason>", per account, with a button to go on from there. */
function ThreadProgressList() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const post = useOpenPost((s) => s.post);
  const [error, setError] = useState<OutpostError | null>(null);
  const [busy, setBusy] = useState(false);
  const stopped = (post?.targets ?? []).filter((x) => x.thread?.stopped);
  if (stopped.length === 0) return null;
  const resume = async (targetId: string) => {
    setBusy(true);
    setError(null);
    const result = await useOpenPost.getState().apply(() => invoke('publishing.resumeThread', { targetId }));
    setBusy(false);
    if (!result.ok) setError(result.error);
  };
  return (
    <ul className="thread-stopped" aria-label={t('compose.thread.progress')}>
      {stopped.map((x) => (
        <li key={x.id} role="status">
          <span>
            {t('compose.thread.stopped', {
              network: t(`networks.${x.network}`),
              handle: x.handle,
              part: x.thread?.stopped?.part ?? 0,
              total: x.thread?.total ?? 0,
              reason: x.thread?.stopped?.message ?? t('compose.thread.noReason'),
            })}
          </span>
          <button type="button" className="button small" disabled={busy} onClick={() => unawaited(resume(x.id), 'Resuming the thread')}>
            {t('compose.thread.resume')}
          </button>
        </li>
      ))}
      {error && <li className="error">{errorText(error)}</li>}
    </ul>
  );
}
