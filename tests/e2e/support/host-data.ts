import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { invokeHost, type RunningHost } from './host';

type Ok<T> = { ok: true; value: T };

/** A request to the host that must succeed: its value, or the test fails with main's error. */
export async function callHost<T>(host: RunningHost, name: string, args: unknown): Promise<T> {
  const result = (await invokeHost(host, name, args)) as Ok<T> | { ok: false; error: unknown };
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A 640×480 photo uploaded and imported through the host into the project's library, then made the post's image. */
export async function attachPhoto(host: RunningHost, dataDir: string, projectId: string, postId: string, fileName = 'challah.jpg'): Promise<void> {
  const bytes = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#e0a050' } }).jpeg().toBuffer();
  const upload = (await (
    await fetch(`${host.origin}/api/upload`, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-outpost-token': host.token }, body: bytes })
  ).json()) as Ok<{ uploadId: string }>;
  const [outcome] = await callHost<{ ok: boolean; media: { id: string } }[]>(host, 'media.import', { files: [{ uploadId: upload.value.uploadId, fileName }], projectId });
  if (!outcome?.ok) throw new Error(`import failed: ${JSON.stringify(outcome)}`);
  const db = new Database(join(dataDir, 'outpost.db'));
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('INSERT INTO post_media (post_id, media_id, position) VALUES (?, ?, 0)').run(postId, outcome.media.id);
  } finally {
    db.close();
  }
}
