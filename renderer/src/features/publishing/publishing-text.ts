import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { HistoryLine, Target } from '../../../../main/core/contract';
import type { NetworkId } from '../../../../main/core/networks/ids';

/**
 * Where a post handed over waits: the server part of a Mastodon handle (user@instance); elsewhere
 * the network's own scheduler, named as the network ("Scheduled on VK"), since one server serves everyone.
 */
export function instanceOf(handle: string, network: NetworkId, networkName: (network: NetworkId) => string): string {
  if (network !== 'mastodon') return networkName(network);
  const at = handle.lastIndexOf('@');
  return at > 0 ? handle.slice(at + 1) : handle;
}

/** Date and time to the second in the project's zone: a post due "in two seconds" must read so. */
export function useWhen(timezone: string): (at: number | null) => string {
  const { i18n } = useTranslation();
  // Building a formatter costs more than formatting: made once per language and zone, not per render.
  const format = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'medium', timeZone: timezone }),
    [i18n.language, timezone],
  );
  return (at) => (at === null ? '' : format.format(at));
}

/** Why a target waits, in words: the reason code with the network and the project's grace filled in. */
export function useReasonText(): (reason: string | null, network: NetworkId, graceMinutes: number) => string {
  const { t, i18n } = useTranslation();
  return (reason, network, graceMinutes) => {
    // With no grace at all there is no "N minutes" to speak of.
    const code = reason === 'missed' && graceMinutes === 0 ? 'missed_none' : (reason ?? 'unknown');
    const key = `publishing.reason.${code}`;
    const vars = { network: t(`networks.${network}`), minutes: graceMinutes };
    return i18n.exists(key) ? t(key, vars) : t('publishing.reason.unknown', vars);
  };
}

/** The journal events after which a target waits for another try: its state says so, not "Scheduled for…". */
const RETRYING_EVENTS: ReadonlySet<HistoryLine['event']> = new Set(['retry', 'offline', 'rate_limited', 'held']);

/**
 * One target's state as a sentence: scheduled when, where a handed-over post waits, published when.
 * A target back on the schedule after a failed try says that it failed and when it tries again
 * (its last journal line), never the original "Scheduled for…" beside the failure.
 */
export function useTargetStateText(
  timezone: string,
): (target: Target, scheduledAt: number | null, publishedAt: number | null, lastLine?: HistoryLine) => { text: string; failing: boolean } {
  const { t } = useTranslation();
  const when = useWhen(timezone);
  const lineText = useHistoryText(timezone);
  return (target, scheduledAt, publishedAt, lastLine) => {
    if ((target.state === 'scheduled' || target.state === 'native_scheduled') && target.lastError !== null) {
      return { text: lastLine && RETRYING_EVENTS.has(lastLine.event) ? lineText(lastLine) : t('publishing.targetState.retrying'), failing: true };
    }
    const text = t(`publishing.targetState.${target.state}`, {
      when: when(target.state === 'published' ? publishedAt : scheduledAt),
      instance: instanceOf(target.handle, target.network, (network) => t(`networks.${network}`)),
    });
    return { text, failing: false };
  };
}

/** A history line in words. */
export function useHistoryText(timezone: string): (line: HistoryLine) => string {
  const { t, i18n } = useTranslation();
  const when = useWhen(timezone);
  return (line) => {
    const event = line.event === 'attempt' && line.jobKind === 'native_schedule' ? 'native_attempt' : line.event;
    // A first comment's lines read as the comment's: its "Published" would say the post went out twice.
    const commentKey = `publishing.history.comment.${line.event}`;
    // A thread's part reads as that part's ("Part 2 of 3 published").
    const partKey = `publishing.history.part.${line.event}`;
    const key =
      line.jobKind === 'first_comment' && i18n.exists(commentKey)
        ? commentKey
        : line.jobKind === 'thread_part' && i18n.exists(partKey)
          ? partKey
          : `publishing.history.event.${event}`;
    const vars = {
      when: when(line.nextAt),
      attempt: line.attempt ?? 1,
      network: t(`networks.${line.network}`),
      instance: instanceOf(line.handle, line.network, (network) => t(`networks.${network}`)),
      part: line.part ?? 2,
      parts: line.parts ?? '',
    };
    return i18n.exists(key) ? t(key, vars) : line.event;
  };
}
