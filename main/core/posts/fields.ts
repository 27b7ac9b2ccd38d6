import { POST_LABEL_LENGTH_MAX, POST_LABELS_MAX } from '../contract/posts';
import { DomainError } from '../errors';

/** Labels: trimmed, single-spaced, without duplicates (ignoring case), in the order given. */
export function normaliseLabels(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const labels: string[] = [];
  for (const label of raw) {
    const clean = label.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (!clean) continue;
    const key = clean.toLocaleLowerCase('en-US');
    if (seen.has(key)) continue;
    if ([...clean].length > POST_LABEL_LENGTH_MAX) {
      throw new DomainError('validation', `A label can be at most ${POST_LABEL_LENGTH_MAX} characters.`, {
        field: 'labels',
        reason: 'label_too_long',
      });
    }
    seen.add(key);
    labels.push(clean);
  }
  if (labels.length > POST_LABELS_MAX) {
    throw new DomainError('validation', `A post can have at most ${POST_LABELS_MAX} labels.`, {
      field: 'labels',
      reason: 'too_many_labels',
    });
  }
  return labels;
}

/** Hashtags of a set: without "#", no spaces inside, no duplicates (ignoring case). */
export function normaliseTags(raw: readonly string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const entry of raw) {
    for (const part of entry.normalize('NFC').split(/[\s,]+/u)) {
      const tag = part.replace(/^[#＃]+/u, '');
      if (!tag) continue;
      if (!/^[\p{L}\p{M}\p{N}_]+$/u.test(tag)) {
        throw new DomainError('validation', `"${tag}" is not a hashtag: use letters, digits and _ only.`, {
          field: 'tags',
          reason: 'hashtag_invalid',
        });
      }
      const key = tag.toLocaleLowerCase('en-US');
      if (seen.has(key)) continue;
      seen.add(key);
      tags.push(tag);
    }
  }
  if (tags.length === 0) {
    throw new DomainError('validation', 'A hashtag set needs at least one hashtag.', { field: 'tags', reason: 'hashtags_empty' });
  }
  return tags;
}

export const SET_NAME_MAX = 80;

/** The name of a hashtag set or snippet: trimmed, not empty, at most 80 characters. */
export function normaliseSetName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!name) throw new DomainError('validation', 'Give it a name.', { field: 'name', reason: 'set_name_empty' });
  if ([...name].length > SET_NAME_MAX) {
    throw new DomainError('validation', `A name can be at most ${SET_NAME_MAX} characters.`, {
      field: 'name',
      reason: 'set_name_too_long',
    });
  }
  return name;
}
