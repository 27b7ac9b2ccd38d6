import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media, PostProblem } from '../../../../main/core/contract';
import type { MediaFix } from '../../../../main/core/networks/check';
import type { AudioCodec } from '../../../../main/core/video';
import { connectApi, invoke } from '../../platform/api';
import { mediaUrl } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';
import { blobToBase64 } from '../editor/image-io';
import { fitVideo, planFor, type FitJob } from '../media/video-fit';
import { codecLabel } from '../media/video-probe';

const videoFixes = new Set(['trim', 'crop', 'resize', 'reencode', 'reencode_audio']);

/** The fix a problem names, back from its words' numbers. */
function fixOf(problem: PostProblem): MediaFix | null {
  const p = problem.params;
  const num = (key: string) => (typeof p[key] === 'number' ? (p[key] as number) : 0);
  switch (p.fix) {
    case 'trim':
      return { key: 'trim', maxDurationMs: num('fixSeconds') * 1000 };
    case 'resize':
      return { key: 'resize', width: num('fixWidth'), height: num('fixHeight') };
    case 'crop':
      return { key: 'crop', aspect: { width: 1, height: 1 }, width: num('fixWidth'), height: num('fixHeight') };
    case 'reencode':
      return { key: 'reencode', codec: 'avc', ...(typeof p.fixFrameRate === 'number' ? { frameRate: p.fixFrameRate } : {}) };
    case 'convert':
      // A WebM or MOV where the network takes MP4: the conversion writes an H.264 MP4.
      return p.fixMime === 'MP4' ? { key: 'reencode', codec: 'avc' } : null;
    case 'reencode_audio':
      return { key: 'reencode_audio', codec: String(p.fixCodec) as AudioCodec };
    default:
      return null;
  }
}

type State =
  | { step: 'idle' }
  | { step: 'working'; network: string; progress: number; cancel(): void }
  | { step: 'saving'; network: string }
  | { step: 'done'; network: string; audio: 'copied' | 'reencoded' | 'none' }
  | { step: 'failed'; message: string };

interface VideoFitProps {
  mediaId: string;
  fileName: string;
  /** This video's problems, on every target using it. */
  problems: readonly PostProblem[];
  disabled?: boolean;
  /** The fitted copy replaces the original in the post's list (this tile goes with it); `note` says what was done. */
  onFitted(media: Media, note: string): void;
}

/**
 * "Make it fit X": converts the video in the window (trim, crop, scale, H.264) by the fixes the
 * network's check named, with a progress bar and Cancel, and keeps the result as a new library
 * video derived from the original.
 */
export function VideoFit({ mediaId, fileName, problems, disabled, onFitted }: VideoFitProps) {
  const { t } = useTranslation();
  const [state, setState] = useState<State>({ step: 'idle' });
  const byNetwork = new Map<string, MediaFix[]>();
  for (const problem of problems) {
    const fix = fixOf(problem);
    if (!fix || !videoFixes.has(fix.key) || !problem.network) continue;
    byNetwork.set(problem.network, [...(byNetwork.get(problem.network) ?? []), fix]);
  }
  if (byNetwork.size === 0 && state.step === 'idle') return null;

  const start = async (network: string, fixes: MediaFix[]) => {
    const name = t(`networks.${network}`);
    const running: FitJob = fitVideo(mediaUrl(mediaId, 'file'), planFor(fixes), (progress) =>
      setState({ step: 'working', network: name, progress, cancel: running.cancel }),
    );
    setState({ step: 'working', network: name, progress: 0, cancel: running.cancel });
    const outcome = await running.done;
    if (!outcome.ok) {
      if (outcome.reason === 'canceled') setState({ step: 'idle' });
      else if (outcome.reason === 'audio_encoder_missing') setState({ step: 'failed', message: t('compose.videoFit.noAudioEncoder', { codec: codecLabel(outcome.codec), network: name }) });
      else setState({ step: 'failed', message: t('compose.videoFit.failed', { message: outcome.message }) });
      return;
    }
    setState({ step: 'saving', network: name });
    const api = connectApi();
    let file: { data: string } | { uploadId: string };
    if (api.upload) {
      const uploaded = await api.upload(new File([outcome.file], `${fileName}.mp4`, { type: 'video/mp4' }));
      if (!uploaded.ok) {
        setState({ step: 'failed', message: t('compose.videoFit.failed', { message: uploaded.error.message }) });
        return;
      }
      file = { uploadId: uploaded.value.uploadId };
    } else file = { data: await blobToBase64(outcome.file) };
    const changes = [...new Set(fixes.map((f) => f.key))] as ('trim' | 'crop' | 'resize' | 'reencode' | 'reencode_audio')[];
    const saved = await invoke('media.saveFittedVideo', { parentMediaId: mediaId, file, network, changes });
    if (!saved.ok) {
      setState({ step: 'failed', message: t('compose.videoFit.failed', { message: saved.error.message }) });
      return;
    }
    setState({ step: 'done', network: name, audio: outcome.audio });
    onFitted(saved.value.media, `${t('compose.videoFit.done', { network: name })} ${t(`compose.videoFit.audio.${outcome.audio}`)}`);
  };

  return (
    <div className="video-fit">
      {state.step === 'idle' &&
        [...byNetwork].map(([network, fixes]) => (
          <button
            key={network}
            type="button"
            className="button small"
            disabled={disabled}
            aria-label={t('compose.videoFit.startFor', { network: t(`networks.${network}`), name: fileName })}
            onClick={() => unawaited(start(network, fixes), 'fit video')}
          >
            {t('compose.videoFit.start', { network: t(`networks.${network}`) })}
          </button>
        ))}
      {state.step === 'working' && (
        <div className="video-fit-progress">
          <label>
            {t('compose.videoFit.working', { network: state.network })}
            <progress max={1} value={state.progress} aria-valuetext={`${Math.round(state.progress * 100)}%`} />
          </label>
          <span aria-hidden="true">{Math.round(state.progress * 100)}%</span>
          <button type="button" className="button subtle small" onClick={state.cancel}>
            {t('compose.videoFit.cancel')}
          </button>
        </div>
      )}
      {state.step === 'saving' && (
        <p role="status" className="status">
          {t('compose.videoFit.saving')}
        </p>
      )}
      {state.step === 'done' && (
        <p role="status" className="status ok">
          {t('compose.videoFit.done', { network: state.network })} {t(`compose.videoFit.audio.${state.audio}`)}
        </p>
      )}
      {state.step === 'failed' && (
        <p role="alert" className="error">
          {state.message}
        </p>
      )}
    </div>
  );
}
