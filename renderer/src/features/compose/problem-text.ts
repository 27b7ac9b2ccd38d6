import { useTranslation } from 'react-i18next';
import type { PostProblem } from '../../../../main/core/contract';
import { codecLabel } from '../media/video-probe';

function formatBytes(bytes: number, language: string): string {
  const mb = bytes / 1_000_000;
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb)} MB`;
}

/**
 * The sentence for one problem: what is wrong, on which network, and what would fix it. Every
 * code has its own key under compose.problems; an unknown one falls back to a general line.
 */
export function useProblemText(): (problem: PostProblem) => string {
  const { t, i18n } = useTranslation();
  return (problem) => {
    const params: Record<string, string | number> = { ...problem.params };
    if (problem.network) params.network = t(`networks.${problem.network}`);
    if (typeof params.otherNetwork === 'string') params.otherNetwork = t(`networks.${params.otherNetwork}`);
    for (const key of ['limit', 'actual', 'fixMaxBytes'] as const) {
      const value = params[key];
      if (typeof value === 'number' && /too_large/.test(problem.code + key) && problem.code !== 'video_dimensions_too_large') params[key] = formatBytes(value, i18n.language);
    }
    // Codecs by the names people know them by: H.264, HEVC (H.265), AAC.
    if (problem.code === 'video_codec' || problem.code === 'audio_codec') {
      params.actual = codecLabel(String(params.actual ?? ''));
      params.allowed = String(params.allowed ?? '').split(', ').map((c) => codecLabel(c.toLowerCase())).join(', ');
    }
    if (typeof params.fixCodec === 'string') params.fixCodec = codecLabel(params.fixCodec);
    if (typeof params.fixMaxBytes === 'number') params.fixMaxBytes = formatBytes(params.fixMaxBytes, i18n.language);
    if (typeof params.field === 'string') params.field = t(`compose.field.${params.field}`);
    if (typeof params.unit === 'string') params.unit = t(`compose.unit.${params.unit}`);
    // A network may word a problem its own way (Telegram's 50 MB is a bot's upload limit): `<code>_<network>` first.
    const own = problem.network ? `compose.problems.${problem.code}_${problem.network}` : undefined;
    const key = own && i18n.exists(own) ? own : `compose.problems.${problem.code}`;
    const what = i18n.exists(key) ? t(key, params) : t('compose.problems.unknown', { code: problem.code, ...params });
    const fix = typeof params.fix === 'string' && i18n.exists(`compose.fix.${params.fix}`) ? t(`compose.fix.${params.fix}`, params) : '';
    const sentence = fix ? `${what} ${fix}` : what;
    // A thread part's own problem names the part, unless its sentence already does.
    return typeof params.part === 'number' && !problem.code.startsWith('thread_') ? t('compose.thread.partPrefix', { part: params.part, what: sentence }) : sentence;
  };
}

/** Problems fixed in Settings › Media relay: the composer links there. */
export function opensRelaySettings(problem: PostProblem): boolean {
  return problem.code === 'media_relay_missing' || problem.code === 'media_relay_page_threads';
}
