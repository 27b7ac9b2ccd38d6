import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Post, Project } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { wordingKey, renderSpintax } from '../../../main/core/spintax';
import { getTargetContent } from '../../../main/services/scheduler/jobs-repo';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * Unique wording per account through the real boundary and store: what scheduling checks, what the
 * scheduler publishes and what the client approves are the same words for each account — the
 * same after a restart — and a post that asks for uniqueness is not scheduled while two accounts match.
 */

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let project: Project;
let accounts: string[];

async function call<T>(name: string, args: unknown): Promise<Result<T>> {
  return (await t.backend.dispatch(name, args)) as Result<T>;
}
async function value<T>(name: string, args: unknown): Promise<T> {
  const result = await call<T>(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

beforeEach(async () => {
  dir = makeTempDir('outpost-unique-');
  t = openTestBackend(dir.path);
  project = await value<Project>('projects.create', { name: 'Gym', color: '#16a34a', timezone: 'Europe/Moscow' });
  accounts = ['telegram', 'vk', 'mastodon'].map((network) => {
    const id = `acc-${network}`;
    t.backend.services.db
      .prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'connected', 0, 0)`)
      .run(id, project.id, network, `@gym_${network}`, 'Gym');
    return id;
  });
  t.clock.advance(Date.UTC(2027, 0, 10, 9) - t.clock.now());
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

const create = (body: string, unique: boolean) =>
  value<Post>('posts.create', { projectId: project.id, body, targets: accounts.map((accountId) => ({ accountId })), local: '2027-01-12T10:00', networkOptions: unique ? { unique: true } : {} });

describe('unique wording per account', () => {
  it('publishes each account’s own wording, the one the composer showed, also after a restart', async () => {
    const body = '{Привет|Здравствуйте|Добрый день}! Новый зал открыт 💪';
    const post = await create(body, true);
    const scheduled = await value<{ scheduled: boolean }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(scheduled.scheduled).toBe(true);
    const targets = t.backend.services.db.prepare('SELECT id, account_id AS accountId FROM post_targets WHERE post_id = ? ORDER BY account_id').all(post.id) as { id: string; accountId: string }[];
    const texts = targets.map((target) => getTargetContent(t.backend.services.db, target.id)?.text);
    expect(new Set(texts).size).toBe(3);
    for (const text of texts) expect(text).toMatch(/^(Привет|Здравствуйте|Добрый день)! Новый зал открыт 💪$/);

    t.backend.close();
    t = openTestBackend(dir.path, t.clock);
    expect(targets.map((target) => getTargetContent(t.backend.services.db, target.id)?.text)).toEqual(texts);
  });

  it('gives each account the composer’s choice when uniqueness is not asked for', async () => {
    const body = '{A|B|C|D|E|F|G} morning class';
    const post = await create(body, false);
    const targets = t.backend.services.db.prepare('SELECT id, account_id AS accountId FROM post_targets WHERE post_id = ?').all(post.id) as { id: string; accountId: string }[];
    for (const target of targets) expect(getTargetContent(t.backend.services.db, target.id)?.text).toBe(renderSpintax(body, wordingKey(post.id, target.accountId)));
  });

  it('refuses to schedule a post asking for uniqueness while two accounts would post the same words, naming them', async () => {
    const post = await create('Same words everywhere', true);
    const { scheduled, problems } = await value<{ scheduled: boolean; problems: Array<{ code: string; network?: string; params: Record<string, unknown> }> }>('posts.schedule', { id: post.id, revision: post.revision });
    expect(scheduled).toBe(false);
    expect(problems.filter((p) => p.code === 'text_not_unique').map((p) => [p.network, p.params.otherNetwork])).toEqual([
      ['vk', 'telegram'],
      ['mastodon', 'telegram'],
    ]);
  });

  it('shows the client each account’s wording in the approval pack', async () => {
    const post = await create('{Hi|Hello|Hey} from the gym', true);
    const pack = await value<{ posts: Array<{ targets: Array<{ text: string }> }> }>('calendar.packData', { projectId: project.id });
    const texts = pack.posts[0]!.targets.map((target) => target.text);
    expect(new Set(texts).size).toBe(3);
    expect(texts.every((text) => /^(Hi|Hello|Hey) from the gym$/.test(text))).toBe(true);
    expect(post.networkOptions.unique).toBe(true);
  });
});
