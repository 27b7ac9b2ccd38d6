import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../main/core/contract';
import type { OutpostError } from '../../../../main/core/errors';
import type { VideoFacts } from '../../../../main/core/video';
import { connectApi, invoke } from '../../platform/api';
import { mediaUrl } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';
import { Dialog } from '../../ui/Dialog';
import { useErrorText } from '../../ui/useErrorText';
import { blobToBase64 } from '../editor/image-io';
import { formatBytes, formatDuration, formatTimecode } from './format';
import { codecLabel, openVideoSession, type VideoSession } from './video-probe';

const STRIP_FRAMES = 8;
const STRIP_HEIGHT = 72;
const PREVIEW_HEIGHT = 360;

interface VideoDialogProps {
  item: Media;
  onClose(): void;
}

type Loading<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; message: string };

/** The facts read from the file, one per row; a fact the file does not hold is left out. */
function FactList({ facts, item }: { facts: VideoFacts; item: Media }) {
  const { t, i18n } = useTranslation();
  const number = (n: number, digits = 2) => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: digits }).format(n);
  const rows: [string, string][] = [
    [t('media.video.duration'), formatDuration(facts.durationMs)],
    [t('media.video.resolution'), t('media.dimensions', { width: facts.width, height: facts.height })],
    [t('media.video.frameRate'), t('media.video.fps', { value: number(facts.frameRate) })],
    [t('media.video.videoCodec'), facts.videoCodec ? codecLabel(facts.videoCodec) : (facts.videoCodecString ?? t('media.video.unknown'))],
    [t('media.video.rotation'), facts.rotation === 0 ? t('media.video.notRotated') : t('media.video.rotated', { degrees: facts.rotation })],
    [
      t('media.video.audio'),
      facts.hasAudio
        ? t('media.video.audioTrack', {
            codec: facts.audioCodec ? codecLabel(facts.audioCodec) : t('media.video.unknown'),
            channels: facts.audioChannels ?? 0,
            rate: number((facts.audioSampleRate ?? 0) / 1000, 1),
          })
        : t('media.video.noAudio'),
    ],
    [t('media.video.size'), formatBytes(item.bytes, i18n.language)],
  ];
  return (
    <dl className="video-facts">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <bdi>{value}</bdi>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * A library video's details and its cover frame: the facts WebCodecs reads from the file, a
 * strip of frames and a scrubber to find one, saved as the video's cover (a derived image).
 */
export function VideoDialog({ item, onClose }: VideoDialogProps) {
  const { t } = useTranslation();
  const describe = useErrorText();
  const session = useRef<VideoSession | null>(null);
  const [facts, setFacts] = useState<Loading<VideoFacts>>({ state: 'loading' });
  const [strip, setStrip] = useState<{ atMs: number; url: string }[]>([]);
  const [atMs, setAtMs] = useState(0);
  const [preview, setPreview] = useState<{ atMs: number; url: string } | null>(null);
  const [cover, setCover] = useState<{ atMs: number } | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<OutpostError | null>(null);
  const scrubberId = useId();
  const stripLabelId = useId();

  useEffect(() => {
    const openedAt = performance.now();
    const opened = openVideoSession(mediaUrl(item.id, 'file'), item.bytes);
    session.current = opened;
    let live = true;
    unawaited(
      (async () => {
        // Facts, the saved cover and the first frame are read at once; the cover's frame replaces the first when there is one.
        const [read, current, first] = await Promise.all([
          opened.facts().catch((e: Error) => e),
          invoke('media.videoCover', { id: item.id }),
          opened.preview(0, PREVIEW_HEIGHT).catch(() => null),
        ]);
        if (!live) return;
        if (read instanceof Error) {
          setFacts({ state: 'failed', message: read.message });
          return;
        }
        const start = current.ok && current.value ? current.value.atMs : 0;
        const poster = start === 0 ? first : await opened.preview(start, PREVIEW_HEIGHT).catch(() => null);
        if (!live) return;
        performance.measure('video.probe', { start: openedAt });
        setFacts({ state: 'ready', value: read });
        if (current.ok && current.value) setCover({ atMs: current.value.atMs });
        setAtMs(start);
        setPreview(poster ? { atMs: start, url: poster } : null);
        const frames = await opened.strip(STRIP_FRAMES, STRIP_HEIGHT).catch(() => []);
        if (live) setStrip(frames);
      })(),
      'video details',
    );
    return () => {
      live = false;
      session.current = null;
      opened.close();
    };
  }, [item.id, item.bytes]);

  // The preview follows the scrubber; only the newest frame asked for is shown.
  useEffect(() => {
    if (facts.state !== 'ready' || preview?.atMs === atMs) return;
    let live = true;
    const timer = setTimeout(() => {
      unawaited(
        (async () => {
          const url = await session.current?.preview(atMs, PREVIEW_HEIGHT).catch(() => null);
          if (live) setPreview(url ? { atMs, url } : null);
        })(),
        'video preview',
      );
    }, 60);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // The preview shown is read, not followed: a new one is asked for when the time or the file changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [atMs, facts.state]);


  const save = async () => {
    const opened = session.current;
    if (!opened) return;
    setSaving(true);
    setError(null);
    try {
      const jpeg = await opened.coverJpeg(atMs);
      if (!jpeg) throw new Error(t('media.video.noFrame'));
      const api = connectApi();
      let file: { data: string } | { uploadId: string };
      if (api.upload) {
        const uploaded = await api.upload(new File([jpeg], 'cover.jpg', { type: 'image/jpeg' }));
        if (!uploaded.ok) throw Object.assign(new Error(uploaded.error.message), { outpost: uploaded.error });
        file = { uploadId: uploaded.value.uploadId };
      } else file = { data: await blobToBase64(jpeg) };
      const result = await invoke('media.setVideoCover', { id: item.id, atMs: Math.round(atMs), file });
      if (!result.ok) throw Object.assign(new Error(result.error.message), { outpost: result.error });
      setCover({ atMs: result.value.atMs });
      setSaved(true);
    } catch (caught) {
      const outpost = (caught as { outpost?: OutpostError }).outpost;
      setError(outpost ?? { code: 'internal', message: (caught as Error).message });
    } finally {
      setSaving(false);
    }
  };

  const durationMs = facts.state === 'ready' ? facts.value.durationMs : 0;
  const step = facts.state === 'ready' && facts.value.frameRate > 0 ? Math.max(1, Math.round(1000 / facts.value.frameRate)) : 40;
  // On the scrubber's frame grid, so a strip pick and the arrow keys after it agree.
  const pick = (ms: number) => {
    setAtMs(Math.round(ms / step) * step);
    setSaved(false);
  };

  return (
    <Dialog title={t('media.video.title', { name: item.fileName })} onClose={onClose}>
      <div className="video-dialog">
        {facts.state === 'loading' && (
          <p className="status" role="status">
            {t('media.video.reading')}
          </p>
        )}
        {facts.state === 'failed' && (
          <p className="error" role="alert">
            {t('media.video.unreadable')}
          </p>
        )}
        {facts.state === 'ready' && (
          <>
            <div className="video-stage">
              {preview ? (
                <img src={preview.url} alt={t('media.video.frameAlt', { time: formatTimecode(preview.atMs) })} />
              ) : (
                <div className="video-stage-empty" aria-hidden="true" />
              )}
            </div>
            <FactList facts={facts.value} item={item} />
            <section className="cover-picker" aria-labelledby={stripLabelId}>
              <h3 id={stripLabelId}>{t('media.video.coverHeading')}</h3>
              <p className="hint">
                {cover ? t('media.video.coverIs', { time: formatTimecode(cover.atMs) }) : t('media.video.noCover')}
              </p>
              <ol className="frame-strip">
                {strip.map((frame) => {
                  const time = formatTimecode(frame.atMs);
                  const chosen = Math.abs(frame.atMs - atMs) < step;
                  return (
                    <li key={frame.atMs}>
                      <button
                        type="button"
                        className={chosen ? 'frame selected' : 'frame'}
                        aria-pressed={chosen}
                        aria-label={t('media.video.frameButton', { time })}
                        onClick={() => pick(frame.atMs)}
                      >
                        <img src={frame.url} alt="" />
                        <span className="frame-time">{time}</span>
                      </button>
                    </li>
                  );
                })}
              </ol>
              <div className="scrubber">
                <label htmlFor={scrubberId}>{t('media.video.scrubber')}</label>
                <input
                  id={scrubberId}
                  type="range"
                  min={0}
                  max={Math.max(0, durationMs - step)}
                  step={step}
                  value={atMs}
                  aria-valuetext={formatTimecode(atMs)}
                  onChange={(e) => pick(Number(e.target.value))}
                />
                <output htmlFor={scrubberId}>{formatTimecode(atMs)}</output>
              </div>
            </section>
          </>
        )}
        {error && (
          <p role="alert" className="error">
            {describe(error)}
          </p>
        )}
        {saved && (
          <p role="status" className="status ok">
            {t('media.video.coverSaved', { time: formatTimecode(atMs) })}
          </p>
        )}
        <div className="dialog-actions">
          <span className="spacer" />
          <button type="button" className="button" onClick={onClose}>
            {t('media.video.close')}
          </button>
          <button type="button" className="button primary" disabled={facts.state !== 'ready' || saving} onClick={() => unawaited(save(), 'save cover')}>
            {saving ? t('media.video.savingCover') : t('media.video.useFrame')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
