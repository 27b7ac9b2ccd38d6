import { z } from 'zod';
import { networkOptionsSchema } from '../../../../main/core/contract';
import type { DraftFields } from './draft';

/**
 * The second copy of edits the host has not confirmed, in this computer's localStorage, so a
 * host that is down or a window closed mid-save loses nothing typed.
 */
export interface Backup {
  /** The post's revision the changes were made on. */
  revision: number;
  changes: Partial<DraftFields>;
}

const BACKUP_PREFIX = 'outpost.unsaved.';

// The shape only, not main's limits: a copy may hold text main would refuse, and it must still come back.
const backupSchema = z.object({
  revision: z.number().int(),
  changes: z
    .object({
      body: z.string(),
      firstComment: z.string(),
      notes: z.string(),
      labels: z.array(z.string()),
      local: z.string().nullable(),
      targets: z.array(z.object({ accountId: z.string(), bodyOverride: z.string().nullable(), mediaOverride: z.array(z.string()).nullable() })),
      media: z.array(z.string()),
      autoDeleteAfterMs: z.number().nullable(),
      // The contract's own schema: every network's options (and the unique-wording choice) come back from a copy.
      networkOptions: networkOptionsSchema,
    })
    .partial(),
}) satisfies z.ZodType<Backup>;

export type BackupRead = { kind: 'none' } | { kind: 'found'; backup: Backup } | { kind: 'unreadable' };

/** The copy for a post; one that cannot be read is said so (and logged), not taken for "nothing kept". */
export function readBackup(postId: string): BackupRead {
  let text: string | null;
  try {
    text = window.localStorage.getItem(BACKUP_PREFIX + postId);
  } catch (error) {
    console.warn('Outpost: the unsaved-edits copy could not be read from this computer’s storage.', error);
    return { kind: 'unreadable' };
  }
  if (!text) return { kind: 'none' };
  try {
    const parsed = backupSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { kind: 'found', backup: parsed.data };
    console.warn(`Outpost: the unsaved-edits copy of post ${postId} is not in the expected shape.`, parsed.error.issues);
  } catch (error) {
    console.warn(`Outpost: the unsaved-edits copy of post ${postId} is not valid JSON.`, error);
  }
  return { kind: 'unreadable' };
}

export function writeBackup(postId: string, backup: Backup | null): void {
  try {
    if (backup) window.localStorage.setItem(BACKUP_PREFIX + postId, JSON.stringify(backup));
    else window.localStorage.removeItem(BACKUP_PREFIX + postId);
  } catch (error) {
    // A full or disabled storage only loses the second copy; the host still has the text.
    console.warn('Outpost: the unsaved-edits copy could not be written to this computer’s storage.', error);
  }
}
