import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { httpsLinkOrNull } from '../../main/core/links';
import { getAccountRow, insertConnectedAccount, markAccountConnected } from '../../main/services/accounts/accounts-repo';
import { getPost } from '../../main/services/posts/posts-repo';
import { postHistory } from '../../main/services/scheduler/history-repo';
import { claimJob, findDueJob, getJob, recordPublished } from '../../main/services/scheduler/jobs-repo';
import { openDatabase, type Db } from '../../main/services/store/database';
import { addAccount, addProject, addScheduledPost, FakeTime, targetRow } from './scheduler/support';

/** Links Outpost stores to open in the browser later (profiles, published posts) are https or nothing. */
describe('stored links', () => {
  it('keep https links and drop everything else', () => {
    expect(httpsLinkOrNull('https://mastodon.social/@me/1')).toBe('https://mastodon.social/@me/1');
    for (const value of [
      'http://mastodon.social/@me',
      'http://127.0.0.1:8080/@me/1',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'https://user:pw@example.com/',
      'not a url',
      '',
      null,
      undefined,
      `https://example.com/${'x'.repeat(2100)}`,
    ]) {
      expect(httpsLinkOrNull(value), String(value).slice(0, 40)).toBeNull();
    }
  });

  let db: Db;
  let time: FakeTime;
  beforeEach(() => {
    db = openDatabase(':memory:');
    time = new FakeTime();
  });
  afterEach(() => db.close());

  it('store an account profile link only if it is https, on connect and on reconnect', () => {
    const project = addProject(db);
    const connected = { handle: 'me', displayName: 'Me', remoteKey: 'r1', baseUrl: 'http://127.0.0.1:9/', config: '{}' };
    insertConnectedAccount(db, { ...connected, profileUrl: 'http://127.0.0.1:9/@me', id: 'a1', projectId: project, network: 'mastodon', secretRef: 's', now: 1 });
    // A loopback base URL (test servers) stays: it is where Outpost connects, never a link it opens.
    expect(getAccountRow(db, 'a1')).toMatchObject({ profileUrl: null, baseUrl: 'http://127.0.0.1:9/' });
    markAccountConnected(db, 'a1', { ...connected, profileUrl: 'https://fake.social/@me', secretRef: 's' }, 2);
    expect(getAccountRow(db, 'a1')?.profileUrl).toBe('https://fake.social/@me');
    markAccountConnected(db, 'a1', { ...connected, profileUrl: 'javascript:alert(1)', secretRef: 's' }, 3);
    expect(getAccountRow(db, 'a1')?.profileUrl).toBeNull();
  });

  it('store a published post link only if it is https, in the target and in its history', () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'hello' });
    const due = findDueJob(db, time.now(), [])!;
    expect(claimJob(db, due, time.now(), time.now() + 60_000)).toBe(true);
    const job = getJob(db, due.id)!;
    recordPublished(db, job, { remoteId: '1', url: 'http://127.0.0.1:9/@me/1', publishedAt: time.now() }, time.now(), 'publish', { kind: 'none' });
    expect(targetRow(db, targetIds[0]!)).toMatchObject({ state: 'published', remote_id: '1', remote_url: null });
    const journal = db.prepare('SELECT detail FROM job_log WHERE job_id = ?').pluck().all(job.id) as string[];
    expect(journal.join('\n')).not.toContain('http://127.0.0.1:9');
  });

  it('are checked on the way out too, for rows written before they were checked on the way in', () => {
    const project = addProject(db);
    const account = addAccount(db, project);
    const { postId, targetIds } = addScheduledPost(db, time.clock, project, [account], time.now(), { body: 'old' });
    const due = findDueJob(db, time.now(), [])!;
    claimJob(db, due, time.now(), time.now() + 60_000);
    recordPublished(db, getJob(db, due.id)!, { remoteId: '1', url: 'https://fake.social/1', publishedAt: time.now() }, time.now(), 'publish', { kind: 'none' });
    db.prepare('UPDATE post_targets SET remote_url = ? WHERE id = ?').run('http://old.example/1', targetIds[0]);
    db.prepare(`UPDATE job_log SET detail = json_set(detail, '$.url', 'http://old.example/1') WHERE job_id = ?`).run(due.id);
    expect(getPost(db, postId)?.targets[0]?.remoteUrl).toBeNull();
    expect(postHistory(db, postId).map((h) => h.url)).not.toContain('http://old.example/1');
  });
});
