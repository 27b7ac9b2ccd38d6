import { DomainError } from '../../core/errors';
import { isLoopbackHost } from '../connectors/kit/urls';
import type { Services } from '../services-types';
import { answerChallenge, getJob, waitingChallenge } from './jobs-repo';

/**
 * A network's captcha (VK error 14) as the user meets it: its picture, fetched by main through the
 * connectors' transport and handed over as a data: URL (the renderer's CSP loads no network address,
 * and the browser host works the same), and the answer, which sends the job once more.
 */

/** VK's captcha pictures are a few KB; anything far larger is not one. */
export const CAPTCHA_IMAGE_MAX_BYTES = 256 * 1024;
const CAPTCHA_IMAGE_TIMEOUT_MS = 15_000;

const notWaiting = () => new DomainError('conflict', 'This post is not waiting for a captcha answer any more.', { reason: 'captcha_not_waiting' });
const unavailable = (message: string) => new DomainError('network', message, { reason: 'captcha_image_unavailable' });

/** The captcha picture of a job waiting for one. */
export async function captchaImage(services: Pick<Services, 'db' | 'connectors'>, jobId: string): Promise<{ captchaId: string; dataUrl: string }> {
  const challenge = waitingChallenge(services.db, jobId);
  if (!challenge) throw notWaiting();
  const dataUrl = await fetchCaptchaImage(services.connectors.fetch, challenge.imageUrl);
  return { captchaId: challenge.id, dataUrl };
}

/**
 * The user's answer: the job is due now with it, for one attempt. Returns the post's id. A stale
 * answer (the job no longer waits, or waits on a newer captcha) is refused, never stored.
 */
export function answerCaptcha(services: Pick<Services, 'db' | 'clock'>, jobId: string, captchaId: string | undefined, answer: string): string {
  if (!getJob(services.db, jobId)) throw new DomainError('not_found', `There is no job with id ${jobId}.`, { reason: 'captcha_not_waiting' });
  const job = answerChallenge(services.db, jobId, captchaId, answer, services.clock.now());
  if (!job) throw notWaiting();
  return job.postId;
}

/** The picture as a data: URL: https only (loopback http for test fakes), bounded in time and size, and only JPEG, PNG or GIF. */
export async function fetchCaptchaImage(fetchFn: typeof fetch, address: string): Promise<string> {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw unavailable('The captcha picture has an address Outpost cannot read.');
  }
  // VK's own examples give http://api.vk.com/captcha.php; the same picture is served over https.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) url.protocol = 'https:';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw unavailable('The captcha picture is not at a web address.');
  let bytes: Uint8Array;
  try {
    const response = await fetchFn(url.toString(), { signal: AbortSignal.timeout(CAPTCHA_IMAGE_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw unavailable(`The captcha picture could not be loaded (HTTP ${response.status}).`);
    bytes = await readBounded(response, CAPTCHA_IMAGE_MAX_BYTES);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable('The captcha picture could not be loaded; check the connection and try again.');
  }
  const mime = imageType(bytes);
  if (!mime) throw unavailable('The captcha picture is not an image Outpost can show.');
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

async function readBounded(response: Response, max: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw unavailable('The captcha picture is larger than a captcha can be.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** By the file's first bytes, not the header: only pictures a captcha comes as (no SVG). */
function imageType(bytes: Uint8Array): string | undefined {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  return undefined;
}
