import { readFileSync } from 'node:fs';
import type { Connector } from '../../../main/core/connector';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS } from '../../../main/services/connectors/mastodon';
import { systemClock } from '../../../main/services/ports';
import { createScheduler } from '../../../main/services/scheduler/engine';
import { countOpenJobs } from '../../../main/services/scheduler/jobs-repo';
import { openDatabase } from '../../../main/services/store/database';

/**
 * The process the video crash test kills mid-upload: the real engine on the real SQLite file,
 * publishing one Mastodon post with a video through a slow link to the test's fake. Prints
 * "started", each upload progress event as "progress <sent> <total>", and "done" when no job is left.
 */
const env = JSON.parse(process.env['OUTPOST_VIDEO_CRASH_CHILD'] ?? '{}') as {
  db: string;
  clip: string;
  mastodon: { baseUrl: string; accessToken: string; clientId: string; clientSecret: string; accountId: string };
};

const db = openDatabase(env.db);
const mastodon = createMastodonConnector({ requestTimeoutMs: 5_000, uploadTimeoutMs: 60_000 }) as Connector;
const clip = readFileSync(env.clip);

const scheduler = createScheduler({
  db,
  clock: systemClock,
  connectorFor: () => mastodon,
  openAccount: async () => {
    const { baseUrl, accountId, ...credentials } = env.mastodon;
    return { connector: mastodon, ctx: { baseUrl, credentials, config: { accountId, acct: 'outpost_tester@fake.social', url: baseUrl, limits: DEFAULT_MASTODON_LIMITS }, fetch, now: Date.now } };
  },
  emit: (event, payload) => {
    if (event === 'publishing.progress') {
      const { sent, total } = payload as { sent: number; total: number };
      process.stdout.write(`progress ${sent} ${total}\n`);
    }
  },
  budgets: { mastodon: null },
  loadMedia: async (ids) => ids.map((id) => ({ fileName: `${id}.mp4`, mime: 'video/mp4', bytes: clip, alt: 'a loaf rising', width: 320, height: 180, durationMs: 1000 })),
  retry: { baseMs: 200, capMs: 2_000, verifySettleMs: 500 },
  log: (message, error) => console.error(`child: ${message}`, error ?? ''),
});
scheduler.start();
process.stdout.write('started\n');

setInterval(() => {
  const open = countOpenJobs(db);
  if (open.pending + open.running + open.held === 0) {
    void scheduler.stop().then(() => {
      db.close();
      process.stdout.write('done\n');
      process.exit(0);
    });
  }
}, 50);
