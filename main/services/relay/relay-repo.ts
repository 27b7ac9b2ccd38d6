import { relayMissing, type RelayKind } from '../../core/contract/relay';
import { readPost } from '../posts/posts-repo';
import type { Db } from '../store/database';
import type { S3RelaySettings } from './s3-relay';

/** Each project's media relay (migration 15): its kind and the bucket's non-secret settings; no row reads as none. */

export interface RelayRow {
  projectId: string;
  kind: RelayKind;
  /** Null until a bucket was saved once. */
  s3: S3RelaySettings | null;
  /** The keychain entry of the bucket's secret key. */
  secretRef: string | null;
}

interface Stored {
  kind: RelayKind;
  s3_endpoint: string | null;
  s3_region: string | null;
  s3_bucket: string | null;
  s3_path_style: number;
  s3_access_key_id: string | null;
  s3_secret_ref: string | null;
}

/** The keychain entry for one project's bucket secret: its own, apart from every account's sign-in. */
export function relaySecretRef(projectId: string): string {
  return `relay-s3:${projectId}`;
}

export function readRelay(db: Db, projectId: string): RelayRow {
  const row = db.prepare('SELECT * FROM project_relays WHERE project_id = ?').get(projectId) as Stored | undefined;
  if (!row) return { projectId, kind: 'none', s3: null, secretRef: null };
  const s3 =
    row.s3_endpoint !== null && row.s3_region !== null && row.s3_bucket !== null && row.s3_access_key_id !== null
      ? { endpoint: row.s3_endpoint, region: row.s3_region, bucket: row.s3_bucket, pathStyle: row.s3_path_style === 1, accessKeyId: row.s3_access_key_id }
      : null;
  return { projectId, kind: row.kind, s3, secretRef: row.s3_secret_ref };
}

/** The kind alone, for the readiness check. */
export function relayKindOf(db: Db, projectId: string): RelayKind {
  const row = db.prepare('SELECT kind FROM project_relays WHERE project_id = ?').get(projectId) as { kind: RelayKind } | undefined;
  return row?.kind ?? 'none';
}

export function writeRelay(db: Db, relay: RelayRow, now: number): void {
  db.prepare(
    `INSERT INTO project_relays (project_id, kind, s3_endpoint, s3_region, s3_bucket, s3_path_style, s3_access_key_id, s3_secret_ref, updated_at)
     VALUES (@projectId, @kind, @endpoint, @region, @bucket, @pathStyle, @accessKeyId, @secretRef, @now)
     ON CONFLICT (project_id) DO UPDATE SET kind = excluded.kind, s3_endpoint = excluded.s3_endpoint, s3_region = excluded.s3_region,
       s3_bucket = excluded.s3_bucket, s3_path_style = excluded.s3_path_style, s3_access_key_id = excluded.s3_access_key_id,
       s3_secret_ref = excluded.s3_secret_ref, updated_at = excluded.updated_at`,
  ).run({
    projectId: relay.projectId,
    kind: relay.kind,
    endpoint: relay.s3?.endpoint ?? null,
    region: relay.s3?.region ?? null,
    bucket: relay.s3?.bucket ?? null,
    pathStyle: relay.s3?.pathStyle ? 1 : 0,
    accessKeyId: relay.s3?.accessKeyId ?? null,
    secretRef: relay.secretRef,
    now,
  });
}

/** For the rules main applies when a post is scheduled: each project's relay kind, read when asked. */
export function relayKinds(services: { db: Db }): (projectId: string) => RelayKind {
  return (projectId) => relayKindOf(services.db, projectId);
}

/** The project's posts waiting to go out (or stopped for it) with media for a network this relay kind cannot serve (uses posts_project_status_updated). */
export function scheduledPostsBlockedBy(db: Db, projectId: string, kind: RelayKind): number {
  const ids = db.prepare(`SELECT id FROM posts WHERE project_id = ? AND status IN ('scheduled', 'needs_attention')`).pluck().all(projectId) as string[];
  return ids.filter((id) => {
    const post = readPost(db, id)?.post;
    return post?.targets.some((t) => relayMissing(t.network, t.mediaOverride ?? post.media, kind) !== null) ?? false;
  }).length;
}
