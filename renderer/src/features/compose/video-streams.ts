import { useEffect, useMemo } from 'react';
import { create } from 'zustand';
import type { PostMediaItem } from '../../../../main/core/contract';
import type { VideoStreamFacts } from '../../../../main/core/video';
import { mediaUrl } from '../../platform/media';
import { unawaited } from '../../platform/unawaited';
import { openVideo, readVideoFacts } from '../media/video-probe';

/**
 * What the networks' rules need of an attached video beyond the library's row — frame rate and
 * codecs — read once per video in the window with WebCodecs, so the composer checks them live.
 */
const useStreams = create<{ streams: Record<string, VideoStreamFacts | null> }>(() => ({ streams: {} }));

const asked = new Set<string>();

async function probe(mediaId: string): Promise<void> {
  const input = openVideo(mediaUrl(mediaId, 'file'));
  let stream: VideoStreamFacts | null = null;
  try {
    const facts = await readVideoFacts(input);
    stream = { frameRate: facts.frameRate, videoCodec: facts.videoCodec, audioCodec: facts.audioCodec };
  } catch {
    // Unreadable here: the rules check what the library knows, as main does.
  } finally {
    input.dispose();
  }
  useStreams.setState((s) => ({ streams: { ...s.streams, [mediaId]: stream } }));
}

/** The media facts with each video's stream facts added once read; the same object until one arrives. */
export function useVideoStreams(facts: Record<string, PostMediaItem>): Record<string, PostMediaItem> {
  const streams = useStreams((s) => s.streams);
  useEffect(() => {
    for (const item of Object.values(facts)) {
      if (!item.mime.startsWith('video/') || asked.has(item.mediaId)) continue;
      asked.add(item.mediaId);
      unawaited(probe(item.mediaId), 'video stream facts');
    }
  }, [facts]);
  return useMemo(() => {
    let changed = false;
    const out: Record<string, PostMediaItem & { stream?: VideoStreamFacts }> = {};
    for (const [id, item] of Object.entries(facts)) {
      const stream = streams[id];
      if (stream) {
        out[id] = { ...item, stream };
        changed = true;
      } else out[id] = item;
    }
    return changed ? out : facts;
  }, [facts, streams]);
}
