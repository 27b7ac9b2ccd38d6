import type { ImportFailure, ImportOutcome, ImportSource } from '../../../main/core/contract';
import { MAX_VIDEO_BYTES, mediaSchemeUrl, type MediaVariant } from '../../../main/core/media';
import { connectApi, invoke } from './api';

/**
 * The one place the renderer learns where a library file is shown from: the outpost-media:
 * scheme in Electron, the browser host's authenticated /api/media route otherwise.
 */
export function mediaUrl(id: string, variant: MediaVariant): string {
  if (window.outpost) return mediaSchemeUrl(id, variant);
  return `/api/media/${encodeURIComponent(id)}/${variant}`;
}

const refuse = (file: File, reason: ImportFailure['reason'], details?: ImportFailure['details']): ImportFailure => ({
  ok: false,
  fileName: file.name,
  reason,
  message: reason,
  ...(details ? { details } : {}),
});

/** Up to `limit` at a time, results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

const IMPORT_BATCH = 50;

/**
 * Imports files the user picked or dropped, one outcome per file in order. Electron hands main
 * each file's path; the browser host first streams each file to /api/upload. Either way no
 * file's bytes are held in memory, and one bad file never stops the others. They join
 * `projectId`'s library, or the shared one for null.
 */
export async function importFiles(files: readonly File[], projectId: string | null = null): Promise<ImportOutcome[]> {
  const api = connectApi();
  const staged = await mapLimited(files, 2, async (file): Promise<ImportSource | ImportFailure> => {
    if (api.pathForFile) {
      const path = await api.pathForFile(file);
      return path ? { path, fileName: file.name } : refuse(file, 'file_unreadable');
    }
    // Main refuses it too; checking here saves sending gigabytes only to be told no.
    if (file.size > MAX_VIDEO_BYTES) return refuse(file, 'too_large', { bytes: file.size, limit: MAX_VIDEO_BYTES });
    if (!api.upload) return refuse(file, 'file_unreadable');
    const uploaded = await api.upload(file);
    if (uploaded.ok) return { uploadId: uploaded.value.uploadId, fileName: file.name };
    const reason = uploaded.error.reason === 'too_large' || uploaded.error.reason === 'storage_full' ? uploaded.error.reason : 'not_saved';
    return refuse(file, reason, reason === 'too_large' ? { bytes: file.size, limit: MAX_VIDEO_BYTES } : undefined);
  });

  const outcomes: ImportOutcome[] = new Array(files.length);
  const pending: Array<{ index: number; source: ImportSource }> = [];
  staged.forEach((item, index) => {
    if ('ok' in item) outcomes[index] = item;
    else pending.push({ index, source: item });
  });
  for (let start = 0; start < pending.length; start += IMPORT_BATCH) {
    const batch = pending.slice(start, start + IMPORT_BATCH);
    const result = await invoke('media.import', { files: batch.map((p) => p.source), projectId });
    batch.forEach(({ index, source }, i) => {
      outcomes[index] = result.ok
        ? (result.value[i] as ImportOutcome)
        : { ok: false, fileName: source.fileName ?? '', reason: 'not_saved', message: result.error.message };
    });
  }
  return outcomes;
}
