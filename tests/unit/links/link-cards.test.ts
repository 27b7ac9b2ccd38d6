import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LinkCard, Project } from '../../../main/core/contract';
import type { Result } from '../../../main/core/errors';
import { linkCardHandlers, storedCard } from '../../../main/services/links/link-cards';
import { getTargetContent } from '../../../main/services/scheduler/jobs-repo';
import { publishRequest } from '../../../main/services/scheduler/publish-request';
import { makeTempDir, openTestBackend, type TestBackend } from '../support/backend';

/**
 * A post's link card is fetched once, kept with the post (its picture too), edited by the user
 * and carried to publishing — and a card is never fetched from this computer or its network.
 */

let server: Server;
let site: string;
let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;
let postId: string;
let picture: Buffer;
let requests = 0;

beforeAll(async () => {
  picture = await sharp({ create: { width: 2400, height: 1260, channels: 3, background: '#0f766e' } }).png().toBuffer();
  server = createServer((req, res) => {
    requests++;
    if (req.url === '/menu') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<head><meta property="og:title" content="Our menu"><meta property="og:description" content="Bread, cakes"><meta property="og:image" content="/menu.png"></head>');
    } else if (req.url === '/menu.png') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(picture);
    } else if (req.url === '/about') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>About us</title>');
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  dir = makeTempDir('outpost-cards-');
  t = openTestBackend(dir.path);
  const project = await value<Project>('projects.create', { name: 'Bakery', color: '#db2777', timezone: 'UTC' });
  postId = (await value<{ id: string }>('posts.create', { projectId: project.id, body: `Our new menu: ${site}/menu`, targets: [], local: null })).id;
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

async function value<T>(name: string, args: unknown): Promise<T> {
  const result = (await t.backend.dispatch(name, args)) as Result<T>;
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** The handlers with the test site allowed: the real ones refuse loopback, as the last test shows. */
const handlers = () => linkCardHandlers(t.backend.services, { allowAddress: (address) => address === '127.0.0.1' });

describe('a post’s link card', () => {
  it('is fetched once with its picture made small, and is there afterwards without the network', async () => {
    const card = await handlers()['links.fetchCard']({ postId, url: `${site}/menu` });
    expect(card).toMatchObject({ postId, url: `${site}/menu`, title: 'Our menu', description: 'Bread, cakes', siteName: '127.0.0.1', edited: false, dropped: false, above: false, large: true });
    const jpeg = Buffer.from((card.image as string).replace('data:image/jpeg;base64,', ''), 'base64');
    expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: 1000 });
    expect(jpeg.length).toBeLessThan(1_000_000);
    // Offline afterwards: read from the store through the boundary, the site not asked again.
    const asked = requests;
    expect(await value<LinkCard>('links.card', { postId })).toEqual(card);
    expect(requests).toBe(asked);
  });

  it('keeps the user’s words when the same link is fetched again, and starts afresh for another link', async () => {
    await handlers()['links.fetchCard']({ postId, url: `${site}/menu` });
    const edited = await value<LinkCard>('links.updateCard', { postId, title: 'Winter menu', above: true });
    expect(edited).toMatchObject({ title: 'Winter menu', description: 'Bread, cakes', edited: true, above: true });
    expect(await handlers()['links.fetchCard']({ postId, url: `${site}/menu` })).toMatchObject({ title: 'Winter menu', edited: true, above: true });
    expect(await handlers()['links.fetchCard']({ postId, url: `${site}/about` })).toMatchObject({ title: 'About us', description: '', image: null, edited: false });
  });

  it('goes to publishing with its picture’s bytes, as the user left it, only while its link is in the text', async () => {
    await handlers()['links.fetchCard']({ postId, url: `${site}/menu` });
    await value('links.updateCard', { postId, dropped: true });
    const db = t.backend.services.db;
    const kept = storedCard(db, postId, `Our new menu: ${site}/menu`);
    expect(kept).toMatchObject({ title: 'Our menu', dropped: true });
    expect(storedCard(db, postId, 'The link was taken out of the text')).toBeNull();

    db.prepare(`INSERT INTO accounts (id, project_id, network, handle, display_name, status, created_at, updated_at) SELECT 'acc', project_id, 'telegram', '@bakery', 'Bakery', 'connected', 0, 0 FROM posts WHERE id = ?`).run(postId);
    db.prepare(`INSERT INTO post_targets (id, post_id, account_id, state) VALUES ('tgt', ?, 'acc', 'pending')`).run(postId);
    const content = getTargetContent(db, 'tgt');
    const request = publishRequest({ connector: { network: 'telegram' } as never, ctx: {} as never }, content!, 'key', []);
    expect(request.card).toMatchObject({ url: `${site}/menu`, title: 'Our menu', shown: false, above: false, large: true });
    expect(request.card?.image?.length).toBeGreaterThan(1000);
  });

  it('is never fetched from this computer or its network, and says why', async () => {
    const result = (await t.backend.dispatch('links.fetchCard', { postId, url: `${site}/menu` })) as Result<LinkCard>;
    expect(result).toMatchObject({ ok: false, error: { code: 'network', reason: 'link_card_private_address' } });
    expect(await value('links.card', { postId })).toBeNull();
    const noCard = (await t.backend.dispatch('links.updateCard', { postId, title: 'x' })) as Result<LinkCard>;
    expect(noCard).toMatchObject({ ok: false, error: { code: 'not_found', reason: 'link_card_missing' } });
  });
});
