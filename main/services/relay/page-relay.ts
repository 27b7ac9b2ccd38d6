import { ConnectorError } from '../../core/connector';
import type { MediaRelay, RelayedMedia } from '../../core/media-relay';
import { DEFAULT_UPLOAD_TIMEOUT_MS, mediaBlob } from '../connectors/kit/http';
import { graphCall, GraphApiError, type GraphHttp } from '../connectors/meta/graph';
import { RelayFailure } from './relay-failure';

/**
 * The Page relay: for an Instagram account linked to a Facebook Page, each image goes up to that
 * Page as an unpublished photo (`POST /{page-id}/photos`, published=false), Instagram gets the
 * photo's own address (`GET /{photo-id}?fields=images`, Meta's Photo node: images is a list of
 * PlatformImageSource {height, source, width}), and the photo is deleted after (`DELETE /{photo-id}`).
 * No bucket to set up; images only, since Page photos are images (Instagram's videos go up as bytes).
 */

interface ImageSource {
  source?: unknown;
  width?: unknown;
  height?: unknown;
}

/** The largest rendition: Instagram re-encodes anyway, and a smaller one would lose detail. */
function largestSource(images: unknown): string | undefined {
  if (!Array.isArray(images)) return undefined;
  let best: { url: string; width: number } | undefined;
  for (const image of images as ImageSource[]) {
    if (typeof image?.source !== 'string') continue;
    const width = typeof image.width === 'number' ? image.width : 0;
    if (!best || width > best.width) best = { url: image.source, width };
  }
  return best?.url;
}

/** Graph's "does not exist" (code 100, subcode 33): the photo is gone already. */
function isGone(error: unknown): boolean {
  return error instanceof GraphApiError && error.code === 100 && error.subcode === 33;
}

/**
 * `http` gives the Page's Graph access at the time of each call (its token read from the keychain
 * entry as it is then); `pageId` is the Page the Instagram account is linked to.
 */
export function createPageRelay(http: () => GraphHttp, pageId: string): MediaRelay {
  return {
    async put(media, { signal } = {}) {
      if (!media.mime.startsWith('image/')) {
        throw new RelayFailure('refused', 'validation', `The Facebook Page relay takes only images, not ${media.fileName}; choose an S3 bucket as the media relay for other files.`);
      }
      const call = { ...http(), ...(signal ? { signal } : {}), name: 'Facebook' };
      const uploaded = await graphCall<{ id?: unknown }>(call, {
        path: `/${encodeURIComponent(pageId)}/photos`,
        params: { published: false },
        files: [{ name: 'source', blob: mediaBlob(media), fileName: media.fileName }],
        timeoutMs: DEFAULT_UPLOAD_TIMEOUT_MS,
      });
      if (typeof uploaded.id !== 'string') throw new ConnectorError('transient', 'Facebook took the photo for the media relay but gave no id.', { delivery: 'not_sent' });
      const photoId = uploaded.id;
      let removing: Promise<void> | undefined;
      const remove = (): Promise<void> =>
        (removing ??= graphCall({ ...http(), name: 'Facebook' }, { method: 'DELETE', path: `/${encodeURIComponent(photoId)}` }).then(
          () => undefined,
          (error: unknown) => {
            if (isGone(error)) return;
            removing = undefined;
            throw error;
          },
        ));
      try {
        const photo = await graphCall<{ images?: unknown }>(call, { method: 'GET', path: `/${encodeURIComponent(photoId)}`, params: { fields: 'images' } });
        const url = largestSource(photo.images);
        if (!url) throw new RelayFailure('not_readable', 'transient', 'Facebook gave no address for the photo uploaded for the media relay.');
        const relayed: RelayedMedia = { url, remove };
        return relayed;
      } catch (error) {
        // Nothing will use the photo now: it must not stay on the Page.
        await remove().catch(() => undefined);
        throw error;
      }
    },
  };
}
