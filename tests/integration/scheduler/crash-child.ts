import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Connector } from '../../../main/core/connector';
import { createDiscordConnector } from '../../../main/services/connectors/discord';
import { createFacebookConnector } from '../../../main/services/connectors/facebook';
import { createInstagramConnector } from '../../../main/services/connectors/instagram';
import { createMastodonConnector, DEFAULT_MASTODON_LIMITS } from '../../../main/services/connectors/mastodon';
import { createTelegramConnector } from '../../../main/services/connectors/telegram';
import { createVkConnector } from '../../../main/services/connectors/vk';
import { createXConnector } from '../../../main/services/connectors/x';
import { createYouTubeConnector, type YouTubeCredentials } from '../../../main/services/connectors/youtube';
import { systemClock } from '../../../main/services/ports';
import { createScheduler } from '../../../main/services/scheduler/engine';
import { countOpenJobs } from '../../../main/services/scheduler/jobs-repo';
import { openDatabase } from '../../../main/services/store/database';
import { relayClient } from '../../fakes/loopback-relay';

/**
 * The process the crash test kills: the real engine on the real SQLite file, publishing to
 * loopback fakes that live in the test's own process (so their counts survive every SIGKILL).
 * Prints "started" once running and "done" (then exits) when no job is left to run.
 */
const env = JSON.parse(process.env['OUTPOST_CRASH_CHILD'] ?? '{}') as {
  db: string;
  telegram: { baseUrl: string; botToken: string };
  mastodon: { baseUrl: string; accessToken: string; clientId: string; clientSecret: string; accountId: string };
  vk: { baseUrl: string; accessToken: string; userId: number };
  facebook: { baseUrl: string; appId: string; appSecret: string; pageTokens: Record<string, string> };
  /** IG users by id with their linked Page's sign-in; images go through the test's loopback relay. */
  instagram: { baseUrl: string; relayUrl: string; accounts: Record<string, { appId: string; appSecret: string; pageToken: string }> };
  /** Webhook tokens by webhook id. */
  discord: { baseUrl: string; tokens: Record<string, string> };
  /** X users' tokens by user id, from the test app. */
  x: { baseUrl: string; clientId: string; tokens: Record<string, { accessToken: string; refreshToken: string }> };
  /** YouTube channels' first sign-in by channel id; `keychain` is a folder standing in for the OS keychain (it must outlive a SIGKILL); `video` an ffmpeg clip. */
  youtube: { baseUrl: string; keychain: string; video: string; credentials: Record<string, YouTubeCredentials> };
};

const db = openDatabase(env.db);
const telegram = createTelegramConnector({ timeoutMs: 5_000 });
const mastodon = createMastodonConnector({ requestTimeoutMs: 5_000 });
const vk = createVkConnector({ timeoutMs: 5_000 });
const facebook = createFacebookConnector({ timeoutMs: 5_000 });
// The fake processes an image container in one status read: a short pause between reads keeps the run quick.
const instagram = createInstagramConnector({ timeoutMs: 5_000, pollIntervalMs: 20, pollTimeoutMs: 10_000 });
const connectors: Record<string, Connector> = {
  telegram: telegram as Connector,
  mastodon: mastodon as Connector,
  vk: vk as Connector,
  facebook: facebook as Connector,
  instagram: instagram as Connector,
  discord: createDiscordConnector({ timeoutMs: 5_000 }) as Connector,
  x: createXConnector({ timeoutMs: 5_000 }) as Connector,
  // 256 KiB chunks, so a kill can fall between two of a video's PUTs.
  youtube: createYouTubeConnector({ timeoutMs: 5_000, chunkBytes: 256 * 1024 }) as Connector,
};
const VIDEO = new Uint8Array(readFileSync(env.youtube.video));

/** The stand-in keychain: one file per channel, replaced atomically, as the connector saves upload sessions before sending bytes. */
function youtubeSecret(channelId: string): { credentials: YouTubeCredentials; save(c: YouTubeCredentials): Promise<void> } {
  const path = `${env.youtube.keychain}/${channelId}.json`;
  let credentials = env.youtube.credentials[channelId]!;
  try {
    credentials = JSON.parse(readFileSync(path, 'utf8')) as YouTubeCredentials;
  } catch {
    // Not saved yet: the sign-in's credentials.
  }
  return {
    credentials,
    save: async (renewed) => {
      writeFileSync(`${path}.tmp`, JSON.stringify(renewed));
      renameSync(`${path}.tmp`, path);
    },
  };
}
const relay = relayClient(env.instagram.relayUrl);
/** Every Instagram post carries one image (its target's media override); a JPEG's first bytes are all the fake looks at. */
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, ...Array.from({ length: 256 }, (_, i) => i)]);

const scheduler = createScheduler({
  db,
  clock: systemClock,
  connectorFor: (network) => connectors[network],
  openAccount: async (accountId) => {
    const row = db.prepare('SELECT network, config FROM accounts WHERE id = ?').get(accountId) as { network: string; config: string };
    const config = JSON.parse(row.config) as Record<string, unknown>;
    if (row.network === 'telegram') {
      return { connector: connectors['telegram']!, ctx: { baseUrl: env.telegram.baseUrl, credentials: { botToken: env.telegram.botToken }, config, fetch, now: Date.now } };
    }
    if (row.network === 'vk') {
      const credentials = { flow: 'implicit', appId: '51000001', accessToken: env.vk.accessToken, expiresAt: null, userId: env.vk.userId };
      return { connector: connectors['vk']!, ctx: { baseUrl: env.vk.baseUrl, credentials, config, fetch, now: Date.now } };
    }
    if (row.network === 'instagram') {
      const credentials = env.instagram.accounts[String(config['instagramAccountId'])]!;
      return { connector: connectors['instagram']!, ctx: { baseUrl: env.instagram.baseUrl, credentials, config, fetch, now: Date.now, relay } };
    }
    if (row.network === 'discord') {
      const webhookId = String(config['webhookId']);
      return { connector: connectors['discord']!, ctx: { baseUrl: env.discord.baseUrl, credentials: { webhookId, webhookToken: env.discord.tokens[webhookId]! }, config, fetch, now: Date.now } };
    }
    if (row.network === 'x') {
      const userId = String(config['userId']);
      const credentials = { clientId: env.x.clientId, ...env.x.tokens[userId]!, accessExpiresAt: Date.now() + 7_200_000, issuedAt: 0, userId };
      return { connector: connectors['x']!, ctx: { baseUrl: env.x.baseUrl, credentials, config, fetch, now: Date.now } };
    }
    if (row.network === 'youtube') {
      const secret = youtubeSecret(String(config['channelId']));
      return { connector: connectors['youtube']!, ctx: { baseUrl: env.youtube.baseUrl, credentials: secret.credentials, config, fetch, now: Date.now, saveCredentials: secret.save } };
    }
    if (row.network === 'facebook') {
      const { baseUrl, appId, appSecret, pageTokens } = env.facebook;
      const credentials = { appId, appSecret, pageToken: pageTokens[String(config['pageId'])]! };
      return { connector: connectors['facebook']!, ctx: { baseUrl, credentials, config, fetch, now: Date.now } };
    }
    const { baseUrl, accountId: remoteId, ...credentials } = env.mastodon;
    return {
      connector: connectors['mastodon']!,
      ctx: { baseUrl, credentials, config: { accountId: remoteId, acct: 'outpost_tester@fake.social', url: baseUrl, limits: DEFAULT_MASTODON_LIMITS }, fetch, now: Date.now },
    };
  },
  // The test is about crashes, not pacing: the networks' real budgets would take an hour.
  budgets: { telegram: null, mastodon: null, vk: null, facebook: null, instagram: null, discord: null, x: null, youtube: null },
  loadMedia: async (ids) =>
    ids.map((id) =>
      id.startsWith('crash-video')
        ? { fileName: `${id}.mp4`, mime: 'video/mp4', bytes: VIDEO, alt: '', width: 720, height: 1280, durationMs: 4000 }
        : { fileName: `${id}.jpg`, mime: 'image/jpeg', bytes: JPEG, alt: 'a loaf', width: 1080, height: 1080 },
    ),
  // A lost attempt is looked for 1.5 s after it started: the fakes answer in milliseconds, even under load.
  retry: { baseMs: 200, capMs: 2_000, verifySettleMs: 1_500 },
  concurrency: 4,
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
