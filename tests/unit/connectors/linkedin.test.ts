import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError, type MediaItem, type PublishRequest } from '../../../main/core/connector';
import { checkPost } from '../../../main/core/networks/check';
import { linkedInCommentary } from '../../../main/core/networks/linkedin';
import { createLinkedInConnector, LINKEDIN_VERSION, type LinkedInConfig, type LinkedInContext, type LinkedInCredentials } from '../../../main/services/connectors/linkedin';
import { startLinkedInFake, type FakeLinkedInApp, type LinkedInFake } from '../../fakes/linkedin-fake';

let clock: number;
let linkedin: LinkedInFake;
let app: FakeLinkedInApp;
let ctx: LinkedInContext;
let saved: LinkedInCredentials[];

const connector = createLinkedInConnector({ pollIntervalMs: 5, timeoutMs: 3_000 });

function contextFor(fakeApp: FakeLinkedInApp, config: LinkedInConfig): LinkedInContext {
  const tokens = linkedin.tokensFor(fakeApp);
  return {
    baseUrl: linkedin.baseUrl,
    fetch,
    now: () => clock,
    config,
    credentials: {
      clientId: fakeApp.clientId,
      clientSecret: fakeApp.clientSecret,
      accessToken: tokens.accessToken,
      accessExpiresAt: clock + 60 * 86_400_000,
      refreshToken: tokens.refreshToken,
      refreshExpiresAt: tokens.refreshToken ? clock + 365 * 86_400_000 : null,
      memberId: linkedin.member.id,
    },
    saveCredentials: async (c) => void saved.push(c),
  };
}

const member = () => `urn:li:person:${linkedin.member.id}`;

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 5, 9, 0, 0);
  saved = [];
  linkedin = await startLinkedInFake({ now: () => clock });
  app = linkedin.addApp({ pages: true, memberRead: true });
  ctx = contextFor(app, { author: member(), name: linkedin.member.name });
});

afterEach(async () => {
  await linkedin.close();
});

const png = (alt = '', size = 64): MediaItem => ({ fileName: 'bread.png', mime: 'image/png', bytes: new Uint8Array(size).fill(7), alt });
const mp4 = (size: number): MediaItem => ({ fileName: 'oven.mp4', mime: 'video/mp4', bytes: Uint8Array.from({ length: size }, (_, i) => i % 251), alt: '' });
const post = (overrides: Partial<PublishRequest> = {}): PublishRequest => ({ text: 'Fresh rye bread today', media: [], idempotencyKey: 'job-1', ...overrides });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ConnectorError);
  return error as ConnectorError;
}

describe('LinkedIn text', () => {
  it('escapes the little format\'s reserved characters and leaves a hashtag\'s # as the format\'s hashtag element', () => {
    expect(linkedInCommentary('Sale (today) <50%> *best* a_b ~x~ [1] {y} | @me \\')).toBe('Sale \\(today\\) \\<50%\\> \\*best\\* a\\_b \\~x\\~ \\[1\\] \\{y\\} \\| \\@me \\\\');
    expect(linkedInCommentary('#bread and #rye_2026, not a#b or #42')).toBe('#bread and #rye\\_2026, not a\\#b or \\#42');
  });

  it('publishes the escaped text as the member, with the pinned version headers, and links to the post', async () => {
    const published = await connector.publish(ctx, post({ text: 'Open (9–18) today #bakery' }));
    const [made] = linkedin.live(member());
    expect(made!.commentary).toBe('Open \\(9–18\\) today #bakery');
    expect(published).toEqual({ remoteId: made!.urn, url: `https://www.linkedin.com/feed/update/${made!.urn}/`, publishedAt: clock });
    const request = linkedin.server.requests.find((r) => r.path === '/rest/posts')!;
    expect(request.headers['linkedin-version']).toBe(LINKEDIN_VERSION);
    expect(request.headers['x-restli-protocol-version']).toBe('2.0.0');
    expect(request.body.json).toMatchObject({ author: member(), visibility: 'PUBLIC', lifecycleState: 'PUBLISHED', distribution: { feedDistribution: 'MAIN_FEED' } });
    expect(linkedin.violations).toEqual([]);
  });

  it('posts as a page the member administers', async () => {
    const org = linkedin.addOrganization({ name: 'Lenina Bakery' });
    ctx.config = { author: `urn:li:organization:${org.id}`, name: org.name, vanityName: org.vanityName };
    await connector.publish(ctx, post({ media: [png()] }));
    expect(linkedin.live(`urn:li:organization:${org.id}`)).toHaveLength(1);
    expect(linkedin.uploads[0]!.owner).toBe(`urn:li:organization:${org.id}`);
  });

  it('counts each escape toward the 3,000, as LinkedIn reads the commentary it is sent', async () => {
    const text = `${'a'.repeat(2_978)}${'()'.repeat(6)}`;
    expect(text.length).toBe(2_990);
    const error = await failure(connector.publish(ctx, post({ text })));
    expect(error.kind).toBe('validation');
    expect(error.networkMessage).toBe('LinkedIn posts hold 3000 characters; this one has 3002.');
    expect(linkedin.server.requests).toHaveLength(0);
  });

  it('refuses a text over 3,000 characters before any call', async () => {
    const error = await failure(connector.publish(ctx, post({ text: 'a'.repeat(3001) })));
    expect(error.kind).toBe('validation');
    expect(error.networkMessage).toMatch(/3000/);
    expect(linkedin.server.requests).toHaveLength(0);
  });
});

describe('LinkedIn media', () => {
  it('uploads one image through the Images API and attaches it with its alt text', async () => {
    await connector.publish(ctx, post({ media: [png('A rye loaf on a board', 100)] }));
    const [image] = linkedin.uploads;
    expect(image).toMatchObject({ kind: 'image', uploadedBytes: 100, status: 'AVAILABLE', authorized: true });
    expect(linkedin.live(member())[0]!.content).toEqual({ media: { id: image!.urn, altText: 'A rye loaf on a board' } });
  });

  it('sends 2–20 images as one multiImage post, in order', async () => {
    await connector.publish(ctx, post({ media: [png('one'), png('two'), png()] }));
    const urns = linkedin.uploads.map((u) => u.urn);
    expect(linkedin.live(member())[0]!.content).toEqual({ multiImage: { images: [{ id: urns[0], altText: 'one' }, { id: urns[1], altText: 'two' }, { id: urns[2] }] } });
  });

  it('uploads a video in the parts LinkedIn names, finalizes with their ETags and posts it once AVAILABLE', async () => {
    linkedin.videoPartBytes = 1000;
    linkedin.videoProcessing = 2;
    const clip = mp4(2_500);
    await connector.publish(ctx, post({ media: [clip] }));
    const [video] = linkedin.uploads;
    expect(video!.parts.map((p) => [p.firstByte, p.lastByte])).toEqual([[0, 999], [1000, 1999], [2000, 2499]]);
    expect(video!.uploadedBytes).toBe(2_500);
    const finalize = linkedin.server.requests.find((r) => r.query.get('action') === 'finalizeUpload')!;
    expect((finalize.body.json as { finalizeUploadRequest: { uploadedPartIds: string[] } }).finalizeUploadRequest.uploadedPartIds).toEqual(video!.parts.map((p) => p.etag));
    expect(linkedin.server.requests.filter((r) => r.path.startsWith('/rest/videos/'))).toHaveLength(3);
    expect(linkedin.live(member())[0]!.content).toEqual({ media: { id: video!.urn } });
    expect(linkedin.violations).toEqual([]);
  });

  it('the composer holds a video to LinkedIn\'s 500 MB and 3 s to 30 min, and to being the post\'s only media', () => {
    const codes = (media: Array<{ mime: string; bytes: number; durationMs?: number }>) => checkPost('linkedin', { text: 'Oven', media }).issues.map((i) => i.code);
    expect(codes([{ mime: 'video/mp4', bytes: 400_000_000, durationMs: 60_000 }])).toEqual([]);
    expect(codes([{ mime: 'video/mp4', bytes: 501_000_000, durationMs: 60_000 }])).toEqual(['video_too_large']);
    expect(codes([{ mime: 'video/mp4', bytes: 1_000_000, durationMs: 2_000 }])).toEqual(['video_too_short']);
    expect(codes([{ mime: 'video/mp4', bytes: 1_000_000, durationMs: 31 * 60_000 }])).toEqual(['video_too_long']);
    expect(codes([{ mime: 'video/mp4', bytes: 1_000_000 }, { mime: 'image/png', bytes: 1_000 }])).toContain('media_must_be_alone');
  });

  it('stops without posting when LinkedIn cannot process the video', async () => {
    linkedin.videoProcessing = 'failed';
    const error = await failure(connector.publish(ctx, post({ media: [mp4(500)] })));
    expect(error.kind).toBe('permanent');
    expect(error.maybeSent).toBe(false);
    expect(linkedin.live(member())).toHaveLength(0);
  });

  it('sends the kept link card as an article with its title, description and uploaded thumbnail', async () => {
    const card = { url: 'https://bakery.example/rye', title: 'Our rye', description: 'Baked at dawn', image: new Uint8Array(80).fill(1), shown: true, above: false, large: true };
    await connector.publish(ctx, post({ text: 'New recipe https://bakery.example/rye', card }));
    const [thumb] = linkedin.uploads;
    expect(thumb).toMatchObject({ kind: 'image', uploadedBytes: 80 });
    expect(linkedin.live(member())[0]!.content).toEqual({ article: { source: 'https://bakery.example/rye', title: 'Our rye', description: 'Baked at dawn', thumbnail: thumb!.urn } });
  });

  it('sends no article for a card the user removed', async () => {
    const card = { url: 'https://bakery.example/rye', title: 'Our rye', description: '', image: null, shown: false, above: false, large: true };
    await connector.publish(ctx, post({ text: 'New recipe https://bakery.example/rye', card }));
    expect(linkedin.live(member())[0]!.content).toBeNull();
  });
});

describe('LinkedIn first comment, delete and results', () => {
  it('comments under the post as its author, and finds a comment whose answer was lost', async () => {
    const { remoteId } = await connector.publish(ctx, post());
    const comment = await connector.comment(ctx, remoteId, 'Recipe (with #tips) below');
    const [made] = linkedin.live(member())[0]!.comments;
    expect(made).toMatchObject({ actor: member(), text: 'Recipe (with #tips) below' });
    expect(comment.remoteId).toBe(made!.urn);
    linkedin.server.faults.next({ kind: 'reset', afterHandling: true }, 1, (r) => r.method === 'POST' && r.path.endsWith('/comments'));
    const lost = await failure(connector.comment(ctx, remoteId, 'Second thought', 'c-2'));
    expect(lost.maybeSent).toBe(true);
    const found = await connector.verifyComment(ctx, { remoteId, text: 'Second thought', startedAt: clock, idempotencyKey: 'c-2' });
    expect(found).toMatchObject({ found: true, comment: { remoteId: linkedin.live(member())[0]!.comments[1]!.urn } });
    expect(await connector.verifyComment(ctx, { remoteId, text: 'Never sent', startedAt: clock, idempotencyKey: 'c-3' })).toEqual({ found: false });
  });

  it('deletes a post, and counts one already gone as deleted', async () => {
    const { remoteId } = await connector.publish(ctx, post());
    await connector.delete(ctx, remoteId);
    expect(linkedin.live(member())).toHaveLength(0);
    await connector.delete(ctx, remoteId);
    const request = linkedin.server.requests.find((r) => r.method === 'DELETE')!;
    expect(request.path).toBe(`/rest/posts/${encodeURIComponent(remoteId)}`);
    expect(request.headers['x-restli-method']).toBe('DELETE');
  });

  it('reads likes and comments from socialActions, and a deleted post as gone', async () => {
    const { remoteId } = await connector.publish(ctx, post());
    await connector.comment(ctx, remoteId, 'First!');
    expect(await connector.metrics(ctx, remoteId)).toEqual({ likes: 3, replies: 1 });
    await connector.delete(ctx, remoteId);
    expect(await connector.metrics(ctx, remoteId)).toBe('gone');
  });
});

describe('LinkedIn after a lost answer', () => {
  it('finds the post among the author\'s posts instead of sending it again', async () => {
    linkedin.server.faults.next(linkedin.server.fault({ kind: 'server_error', status: 504 }, true), 1, (r) => r.path === '/rest/posts' && r.method === 'POST');
    const error = await failure(connector.publish(ctx, post({ text: 'Lost (but posted) #rye' })));
    expect(error.maybeSent).toBe(true);
    expect(linkedin.live(member())).toHaveLength(1);
    const outcome = await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: 'Lost (but posted) #rye' });
    expect(outcome).toEqual({ found: true, post: expect.objectContaining({ remoteId: linkedin.live(member())[0]!.urn }) });
    expect(linkedin.server.requests.filter((r) => r.method === 'POST' && r.path === '/rest/posts')).toHaveLength(1);
  });

  it('says not sent when the author\'s posts since the attempt do not hold it', async () => {
    linkedin.server.faults.next({ kind: 'reset' }, 1, (r) => r.path === '/rest/posts' && r.method === 'POST');
    await failure(connector.publish(ctx, post()));
    await connector.publish(ctx, post({ text: 'Another post' }));
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: 'Fresh rye bread today' })).toEqual({ found: false });
  });

  it('leaves the attempt unknown when the app may not read the member\'s posts (no r_member_social)', async () => {
    const plain = linkedin.addApp();
    ctx = contextFor(plain, { author: member(), name: linkedin.member.name });
    expect(await connector.verify(ctx, { idempotencyKey: 'job-1', startedAt: clock, text: 'Fresh rye bread today' })).toEqual({ found: 'unknown' });
  });
});

describe('LinkedIn errors', () => {
  it('asks for a reconnect when the 60-day token has ended and there is no refresh token', async () => {
    linkedin.expireAccessTokens();
    const error = await failure(connector.publish(ctx, post()));
    expect(error.kind).toBe('auth');
    expect(error.networkSaid).toBe('Invalid access token');
    expect(error.networkMessage).toMatch(/reconnect/);
  });

  it('renews an ended token with a programmatic refresh token and saves it before posting', async () => {
    const partner = linkedin.addApp({ refresh: true });
    ctx = contextFor(partner, { author: member(), name: linkedin.member.name });
    const refreshEnds = ctx.credentials.refreshExpiresAt;
    const ended = ctx.credentials.accessToken;
    linkedin.expireAccessTokens();
    await connector.publish(ctx, post());
    expect(saved).toHaveLength(1);
    expect(saved[0]!.accessToken).not.toBe(ended);
    expect(saved[0]!.refreshExpiresAt).toBe(refreshEnds);
    expect(linkedin.live(member())).toHaveLength(1);
  });

  it('says a revoked sign-in in LinkedIn\'s words', async () => {
    linkedin.revokeTokens();
    const error = await failure(connector.publish(ctx, post()));
    expect(error.kind).toBe('auth');
    expect(error.networkSaid).toMatch(/revoked/);
  });

  it('waits as long as a 429 asks, and nothing was posted', async () => {
    linkedin.rateLimitNext(90_000);
    const error = await failure(connector.publish(ctx, post()));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAfterMs).toBe(90_000);
    expect(error.maybeSent).toBe(false);
    expect(linkedin.live(member())).toHaveLength(0);
  });

  it('waits for the daily reset at midnight UTC when LinkedIn\'s 429 names no wait, as its own do not', async () => {
    linkedin.server.faults.next({ kind: 'respond', response: { status: 429, json: { status: 429, serviceErrorCode: 101, message: 'Resource level throttle limit for calls to this resource is reached.' } } });
    const error = await failure(connector.publish(ctx, post()));
    expect(error.kind).toBe('rate_limited');
    // The clock stands at 09:00 UTC: fifteen hours to the reset.
    expect(error.retryAfterMs).toBe(15 * 3_600_000);
  });

  it('stops a duplicate with LinkedIn\'s words and never retries it', async () => {
    await connector.publish(ctx, post());
    const error = await failure(connector.publish(ctx, post()));
    expect(error.kind).toBe('validation');
    expect(error.networkSaid).toMatch(/^Content is a duplicate of urn:li:share:/);
    expect(error.maybeSent).toBe(false);
  });

  it('treats a 5xx before handling as may-have-been-sent, and an upload failure as not sent', async () => {
    linkedin.server.faults.next(linkedin.server.fault({ kind: 'server_error', status: 500 }), 1, (r) => r.path === '/rest/posts');
    expect((await failure(connector.publish(ctx, post()))).maybeSent).toBe(true);
    linkedin.server.faults.next(linkedin.server.fault({ kind: 'server_error', status: 500 }), 1, (r) => r.path === '/rest/images');
    const upload = await failure(connector.publish(ctx, post({ text: 'With a picture', media: [png()] })));
    expect(upload.maybeSent).toBe(false);
  });

  it('the fake refuses a request without the version header, naming it', async () => {
    const answer = await fetch(`${linkedin.baseUrl}/rest/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.credentials.accessToken}`, 'content-type': 'application/json', 'x-restli-protocol-version': '2.0.0' },
      body: JSON.stringify({ author: member(), commentary: 'unescaped (oops)', visibility: 'PUBLIC', distribution: { feedDistribution: 'MAIN_FEED' }, lifecycleState: 'PUBLISHED' }),
    });
    expect(answer.status).toBe(400);
    expect(linkedin.violations.join('\n')).toMatch(/linkedin-version is required/);
    expect(linkedin.violations.join('\n')).toMatch(/commentary must match pattern/);
    linkedin.violations.length = 0;
  });
});
