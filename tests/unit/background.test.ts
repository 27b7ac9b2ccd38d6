import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SchedulerChange, Settings } from '../../main/core/contract';
import { createMainTranslator, notificationText, quitsWhenWindowsClose, trayLabels } from '../../main/electron/background';
import { planNotification } from '../../main/services/notifications/notification-plan';
import { makeTempDir, openTestBackend, type TestBackend } from './support/backend';

const settings: Settings = {
  theme: 'system',
  language: 'en',
  hourCycle: 'system',
  weekStart: 'system',
  activeProjectId: null,
  runInBackground: true,
  startAtLogin: false,
  notifications: { published: true, failed: true, needsAttention: true },
};

describe('closing the window', () => {
  it('keeps publishing in the tray when the user asked for it, and quits otherwise', () => {
    expect(quitsWhenWindowsClose({ runInBackground: true }, 'linux')).toBe(false);
    expect(quitsWhenWindowsClose({ runInBackground: false }, 'win32')).toBe(true);
    expect(quitsWhenWindowsClose({ runInBackground: false }, 'darwin')).toBe(false);
  });
});

describe('notifications', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let t: TestBackend;
  const targetId = 'target-1';

  beforeEach(() => {
    dir = makeTempDir();
    t = openTestBackend(dir.path);
    const db = t.backend.services.db;
    const now = Date.UTC(2026, 10, 26, 9);
    db.prepare(
      "INSERT INTO projects (id, name, name_key, color, timezone, created_at, updated_at) VALUES ('p1', 'Acme Bakery', 'acme bakery', '#2563eb', 'Europe/Berlin', ?, ?)",
    ).run(now, now);
    db.prepare(
      "INSERT INTO accounts (id, project_id, network, handle, created_at, updated_at) VALUES ('a1', 'p1', 'mastodon', '@acme@example.social', ?, ?)",
    ).run(now, now);
    db.prepare(
      "INSERT INTO posts (id, project_id, body, timezone, created_at, updated_at) VALUES ('post-1', 'p1', ?, 'Europe/Berlin', ?, ?)",
    ).run(`Fresh sourdough   every morning 🥖\n${'👩‍👩‍👧‍👦'.repeat(70)}`, now, now);
    db.prepare("INSERT INTO post_targets (id, post_id, account_id) VALUES (?, 'post-1', 'a1')").run(targetId);
  });

  afterEach(() => {
    t.backend.close();
    dir.remove();
  });

  const change = (state: SchedulerChange['state'], extra: Partial<SchedulerChange> = {}): SchedulerChange => ({
    postId: 'post-1',
    targetId,
    jobId: 'job-1',
    job: 'publish',
    state,
    reason: null,
    message: null,
    networkSaid: null,
    url: null,
    at: 0,
    ...extra,
  });

  it('names the network, the project and the post, shortened on a grapheme boundary', async () => {
    const plan = planNotification(t.backend.services.db, settings, change('published', { url: 'https://example.social/@acme/1' }));
    expect(plan).toMatchObject({ kind: 'published', network: 'mastodon', projectName: 'Acme Bakery', url: 'https://example.social/@acme/1' });
    // 31 graphemes of text (🥖 is one), a space, then 28 whole family emoji make 60: never half an emoji.
    expect(plan?.excerpt).toBe(`Fresh sourdough every morning 🥖 ${'👩‍👩‍👧‍👦'.repeat(28)}…`);

    const text = notificationText(plan!, (await createMainTranslator('en', [])).t);
    expect(text.title).toBe('Published on Mastodon · Acme Bakery');
    expect(text.body).toBe(plan?.excerpt);
  });

  it('gives the network’s own reason when a post failed', async () => {
    const plan = planNotification(
      t.backend.services.db,
      settings,
      change('failed', { message: 'Validation failed: Text character limit of 500 exceeded' }),
    );
    const text = notificationText(plan!, (await createMainTranslator('en', [])).t);
    expect(text.title).toBe('Not published on Mastodon · Acme Bakery');
    expect(text.body).toContain('Validation failed: Text character limit of 500 exceeded');
  });

  it('stays quiet for outcomes the user turned off, for retries, and for deletions', () => {
    const db = t.backend.services.db;
    const quiet = { ...settings, notifications: { published: false, failed: true, needsAttention: true } };
    expect(planNotification(db, quiet, change('published'))).toBeNull();
    expect(planNotification(db, settings, change('needs_attention'))).toMatchObject({ kind: 'needsAttention' });
    expect(planNotification(db, settings, change('retrying'))).toBeNull();
    expect(planNotification(db, settings, change('deleted', { job: 'delete' }))).toBeNull();
  });

  it('has tray words for opening and quitting', async () => {
    const labels = trayLabels((await createMainTranslator('en', [])).t);
    expect(labels.open).toBe('Open Outpost');
    expect(labels.quit).toMatch(/^Quit Outpost/);
  });

  it('speaks the interface’s language: the system’s when the setting says so, and follows a change', async () => {
    const translator = await createMainTranslator('system', ['he-IL', 'en-US']);
    expect(translator.language).toBe('he');
    expect(trayLabels(translator.t).open).toBe('פתיחת Outpost');
    await translator.use('ru');
    expect(trayLabels(translator.t).open).toBe('Открыть Outpost');
    const plan = planNotification(t.backend.services.db, settings, change('failed', { message: 'Too long' }));
    expect(notificationText(plan!, translator.t).title).toBe('Не опубликовано в Mastodon · Acme Bakery');
    // A system in a language Outpost does not speak gets English.
    expect((await createMainTranslator('system', ['de-DE'])).language).toBe('en');
  });
});
