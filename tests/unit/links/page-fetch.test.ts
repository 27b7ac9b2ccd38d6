import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstCardLink, parsePageMetadata } from '../../../main/core/link-card';
import { decodeHtml, fetchBounded, isPublicAddress, PageFetchError } from '../../../main/services/links/page-fetch';

/**
 * Link cards fetch whatever address the user pasted, so the fetch is bounded and never reaches
 * this computer or its network; the card is read the way the networks' crawlers read it.
 */

let server: Server;
let origin: string;
const windows1251 = Buffer.from([0xcf, 0xe5, 0xea, 0xe0, 0xf0, 0xed, 0xff]); // "Пекарня"

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Fallback title</title>
        <meta property="og:title" content="Fresh challah &amp; croissants">
        <meta property="og:description" content="Every Friday   from 7:00">
        <meta property="og:image" content="/img/loaf.jpg">
        <meta property="og:site_name" content="Acme Bakery">
        </head><body><meta property="og:title" content="Not this one"></body></html>`);
    } else if (path === '/hop') {
      res.writeHead(302, { location: '/page' }).end();
    } else if (path === '/loop') {
      res.writeHead(301, { location: '/loop' }).end();
    } else if (path === '/to-private') {
      res.writeHead(302, { location: 'http://10.0.0.7/admin' }).end();
    } else if (path === '/hang') {
      // Never answers.
    } else if (path === '/huge') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<html><head><title>Big page</title></head><body>');
      res.end('x'.repeat(3 * 1024 * 1024));
    } else if (path === '/huge.jpg') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.end(Buffer.alloc(3 * 1024 * 1024));
    } else if (path === '/file.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF');
    } else if (path === '/cp1251') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(Buffer.concat([Buffer.from('<html><head><meta charset="windows-1251"><title>'), windows1251, Buffer.from('</title></head></html>')]));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The test server is on loopback, which the real policy refuses: allowed here by name. */
const loopbackAllowed = { allowAddress: (address: string) => address === '127.0.0.1' };
const problemOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PageFetchError) return error.problem;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('fetching a page for its card', () => {
  it('follows a redirect and reads Open Graph first, with entities decoded, relative pictures made absolute and the body ignored', async () => {
    const page = await fetchBounded(`${origin}/hop`, { kind: 'html', ...loopbackAllowed });
    expect(page.url).toBe(`${origin}/page`);
    expect(parsePageMetadata(decodeHtml(page.body, page.contentType), page.url)).toEqual({
      url: `${origin}/page`,
      title: 'Fresh challah & croissants',
      description: 'Every Friday from 7:00',
      siteName: 'Acme Bakery',
      imageUrl: `${origin}/img/loaf.jpg`,
    });
  });

  it('reaches a site by its name through the checked address', async () => {
    const port = new URL(origin).port;
    const page = await fetchBounded(`http://bakery.example:${port}/page`, { kind: 'html', ...loopbackAllowed, lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
    expect(parsePageMetadata(decodeHtml(page.body, page.contentType), page.url).title).toBe('Fresh challah & croissants');
  });

  it('never connects to this computer or its network, by address, by name, or by redirect', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::ffff:127.0.0.1', 'fc00::1', 'fe80::1', '64:ff9b::7f00:1', '224.0.0.1']) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    expect(isPublicAddress('93.184.216.34')).toBe(true);
    expect(isPublicAddress('2606:4700::1111')).toBe(true);
    // The real policy: the loopback test server itself is refused.
    expect(await problemOf(fetchBounded(`${origin}/page`, { kind: 'html' }))).toBe('private_address');
    expect(await problemOf(fetchBounded('http://[::1]:9/', { kind: 'html' }))).toBe('private_address');
    // A public-looking name that resolves to the cloud's metadata address.
    expect(await problemOf(fetchBounded('http://news.example/', { kind: 'html', lookup: async () => [{ address: '169.254.169.254', family: 4 }] }))).toBe('private_address');
    // One public and one private address for a name: refused, whichever would be tried first.
    expect(await problemOf(fetchBounded('http://mixed.example/', { kind: 'html', lookup: async () => [{ address: '93.184.216.34', family: 4 }, { address: '10.0.0.1', family: 4 }] }))).toBe('private_address');
    // A page that sends the fetch on to the local network.
    expect(await problemOf(fetchBounded(`${origin}/to-private`, { kind: 'html', ...loopbackAllowed }))).toBe('private_address');
  });

  it('refuses other schemes and addresses with credentials before any connection', async () => {
    for (const address of ['file:///etc/passwd', 'javascript:alert(1)', 'ftp://example.com/', 'http://user:secret@example.com/', 'not an address']) {
      expect(await problemOf(fetchBounded(address, { kind: 'html' })), address).toBe('bad_address');
    }
  });

  it('stops after three redirects, at its deadline, at its size cap, and at what is not a page', async () => {
    expect(await problemOf(fetchBounded(`${origin}/loop`, { kind: 'html', ...loopbackAllowed }))).toBe('too_many_redirects');
    const started = Date.now();
    expect(await problemOf(fetchBounded(`${origin}/hang`, { kind: 'html', timeoutMs: 300, ...loopbackAllowed }))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
    // A page's head is at its start: a huge page is cut, and its card still read.
    const huge = await fetchBounded(`${origin}/huge`, { kind: 'html', ...loopbackAllowed });
    expect(huge.truncated).toBe(true);
    expect(huge.body.length).toBe(512 * 1024);
    expect(parsePageMetadata(decodeHtml(huge.body, huge.contentType), huge.url).title).toBe('Big page');
    // A picture is whole or nothing.
    expect(await problemOf(fetchBounded(`${origin}/huge.jpg`, { kind: 'image', maxBytes: 1024 * 1024, ...loopbackAllowed }))).toBe('too_large');
    expect(await problemOf(fetchBounded(`${origin}/file.pdf`, { kind: 'html', ...loopbackAllowed }))).toBe('not_html');
    expect(await problemOf(fetchBounded(`${origin}/missing`, { kind: 'html', ...loopbackAllowed }))).toBe('http_error');
  });

  it('reads a page in its own encoding (windows-1251)', async () => {
    const page = await fetchBounded(`${origin}/cp1251`, { kind: 'html', ...loopbackAllowed });
    expect(parsePageMetadata(decodeHtml(page.body, page.contentType), page.url).title).toBe('Пекарня');
  });
});

describe('reading a card from a page', () => {
  const base = 'https://shop.example/en/item?id=7';

  it('falls back to Twitter’s tags, then the plain HTML ones', () => {
    expect(parsePageMetadata('<head><meta name="twitter:title" content="T"><meta name="twitter:image" content="https://cdn.example/t.png"><meta name="description" content="D"></head>', base)).toMatchObject({
      title: 'T',
      description: 'D',
      imageUrl: 'https://cdn.example/t.png',
      siteName: 'shop.example',
    });
    expect(parsePageMetadata('<title> Plain\n title </title><link rel="image_src" href="../img/p.png"><link rel="canonical" href="/item/7">', base)).toEqual({
      url: 'https://shop.example/item/7',
      title: 'Plain title',
      description: '',
      siteName: 'shop.example',
      imageUrl: 'https://shop.example/img/p.png',
    });
  });

  it('keeps only http(s) pictures and a bounded title', () => {
    const card = parsePageMetadata(`<meta property="og:image" content="javascript:alert(1)"><meta property="og:title" content="${'ש'.repeat(400)}">`, base);
    expect(card.imageUrl).toBeNull();
    expect([...card.title]).toHaveLength(300);
  });

  it('takes the first link of a post, without the punctuation after it', () => {
    expect(firstCardLink('New menu (see https://acme.example/menu). Come by!')).toBe('https://acme.example/menu');
    expect(firstCardLink('No link here, just acme.example')).toBeNull();
  });
});
