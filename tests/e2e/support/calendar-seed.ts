import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { instantAt, addDays, dayKeyOf, startOfMonth, addMonths, daysInMonth } from '../../../main/core/calendar/days';
import { openDatabase } from '../../../main/services/store/database';

/**
 * Writes a calendar's worth of data straight into a data folder before the host starts: a
 * project, its accounts, and as many scheduled posts as a test or benchmark needs. Posts made
 * through the UI or the contract are the tests' business; this is only the backdrop.
 */

export interface SeededProject {
  projectId: string;
  zone: string;
  accounts: { id: string; network: string; handle: string }[];
}

export function seedProject(dataDir: string, name: string, zone: string, colour = '#db2777'): SeededProject {
  const db = openDatabase(join(dataDir, 'outpost.db'));
  try {
    const projectId = randomUUID();
    const now = Date.now();
    db.prepare(
      `INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(projectId, name, name.toLocaleLowerCase(), colour, zone, now, now);
    const accounts = [
      { id: randomUUID(), network: 'mastodon', handle: `${name.split(' ')[0]?.toLowerCase()}@mastodon.social` },
      { id: randomUUID(), network: 'telegram', handle: `@${name.replace(/\W/g, '').toLowerCase()}` },
      { id: randomUUID(), network: 'bluesky', handle: `${name.replace(/\W/g, '').toLowerCase()}.bsky.social` },
    ];
    const insert = db.prepare(
      `INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', ?, ?)`,
    );
    for (const a of accounts) insert.run(a.id, projectId, a.network, a.handle, a.handle, now, now);
    return { projectId, zone, accounts };
  } finally {
    db.close();
  }
}

const phrases = [
  'Fresh sourdough out of the oven at 7',
  'Behind the scenes: shaping croissants',
  'Weekend offer: two loaves for one',
  'Meet Anna, our new pastry chef',
  'Rye, spelt or wheat? Tell us your favourite',
  'Gluten-free range now every Friday',
  'Thank you for 10,000 followers!',
  'Recipe: cinnamon rolls at home',
];

/**
 * `perMonth` posts in each of `months` months starting at `firstMonth` ("2026-12"), spread over
 * the days and working hours, every one with one to three targets; some approved, some drafts.
 */
export function seedPosts(dataDir: string, project: SeededProject, firstMonth: string, months: number, perMonth: number): number {
  const db = openDatabase(join(dataDir, 'outpost.db'));
  let count = 0;
  try {
    const insertPost = db.prepare(
      `INSERT INTO posts (id, project_id, body, labels, status, approval, scheduled_at, timezone, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTarget = db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state) VALUES (?, ?, ?, ?)`);
    const now = Date.now();
    db.transaction(() => {
      for (let m = 0; m < months; m++) {
        const first = addMonths(`${firstMonth}-01`, m);
        const length = daysInMonth(Number(first.slice(0, 4)), Number(first.slice(5, 7)));
        for (let i = 0; i < perMonth; i++) {
          const day = addDays(startOfMonth(first), i % length);
          const minutes = 7 * 60 + ((i * 37) % (13 * 60));
          const at = instantAt(day, minutes - (minutes % 5), project.zone);
          const id = randomUUID();
          const status = i % 9 === 0 ? 'draft' : 'scheduled';
          const approval = i % 3 === 0 ? 'approved' : i % 3 === 1 ? 'in_review' : 'draft';
          const labels = JSON.stringify(i % 4 === 0 ? ['promo'] : i % 4 === 1 ? ['recipe'] : []);
          insertPost.run(id, project.projectId, `${phrases[i % phrases.length]} #${count + 1}`, labels, status, approval, at, project.zone, now, now);
          const targets = 1 + (i % 3);
          for (let k = 0; k < targets; k++) {
            const account = project.accounts[(i + k) % project.accounts.length];
            if (account) insertTarget.run(randomUUID(), id, account.id, status === 'scheduled' ? 'scheduled' : 'pending');
          }
          count++;
        }
      }
    })();
    return count;
  } finally {
    db.close();
  }
}

/** The month after the current one in `zone`, as "YYYY-MM": always wholly in the future. */
export function nextMonth(zone: string): string {
  return addMonths(startOfMonth(dayKeyOf(Date.now(), zone)), 1).slice(0, 7);
}
