import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../main/core/dispatch';
import type { Project } from '../../main/core/contract';
import { makeTempDir, openTestBackend, type TestBackend } from './support/backend';

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;

beforeEach(() => {
  dir = makeTempDir('outpost-dispatch-');
  t = openTestBackend(dir.path);
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

const acme = { name: 'Acme', color: '#2563eb', timezone: 'Europe/Berlin' };

async function projectNames(includeArchived = true): Promise<string[]> {
  const listed = await t.backend.dispatch('projects.list', { includeArchived });
  if (!listed.ok) throw new Error(listed.error.message);
  return (listed.value as Project[]).map((p) => p.name);
}

describe('unknown requests', () => {
  it.each([['projects.delete'], ['__proto__'], ['toString'], [''], [42], [undefined], [10n], [{ name: 'app.info' }]])(
    'answers %s with unknown_request instead of throwing',
    async (name) => {
      const result = await t.backend.dispatch(name, {});
      expect(result).toEqual({ ok: false, error: { code: 'unknown_request', message: expect.any(String) } });
    },
  );
});

describe('bad arguments', () => {
  it.each([
    ['a wrong type', 'projects.create', { ...acme, name: 5 }, 'name'],
    ['a malformed colour', 'projects.create', { ...acme, color: 'red' }, 'color'],
    ['a missing field', 'projects.create', { name: 'Acme', color: '#2563eb' }, 'timezone'],
    ['an extra field', 'projects.list', { includeArchived: true, where: '1=1' }, 'where'],
    ['an extra field on a request with no arguments', 'settings.get', { verbose: true }, 'verbose'],
    ['a value outside the enum', 'settings.update', { theme: 'blue' }, 'theme'],
    ['a boolean given as a string', 'projects.archive', { id: 'x', archived: 'yes' }, 'archived'],
  ])('refuses %s with bad_request naming the field', async (_what, name, args, field) => {
    const result = await t.backend.dispatch(name, args);
    expect(result).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringContaining(field), field } });
  });

  it.each([[42], ['Acme'], [[acme]], [true]])('refuses args that are not an object (%j)', async (args) => {
    const result = await t.backend.dispatch('projects.create', args);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
  });

  it('runs nothing for a refused request', async () => {
    await t.backend.dispatch('projects.create', { ...acme, sneaky: true });
    expect(await projectNames()).toEqual([]);
    expect(t.events).toEqual([]);
  });
});

describe('failures inside a handler', () => {
  it('passes a domain error on as its code and reason', async () => {
    const result = await t.backend.dispatch('projects.update', { id: 'no-such-project', name: 'Renamed' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'not_found', reason: 'project_missing', message: expect.stringContaining('no-such-project') },
    });
  });

  it('hides an unexpected storage error as internal, leaking no SQL or stack, and logs it', async () => {
    t.backend.services.db.exec('DROP TABLE settings');
    const result = await t.backend.dispatch('settings.get', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } });
    const message = result.ok ? '' : result.error.message;
    expect(message).not.toMatch(/settings|no such table|SELECT|Sqlite|\bat\s/i);
    expect(t.logged).toEqual([expect.objectContaining({ message: expect.stringContaining('no such table') })]);
  });

  it('hides a programming error as internal too', async () => {
    t.backend.services.db.close();
    const result = await t.backend.dispatch('projects.list', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } });
    expect(t.logged).toHaveLength(1);
  });

  it('turns a throw into internal even with the default mapping', async () => {
    const dispatch = createDispatch(t.backend.handlers);
    t.backend.services.db.exec('DROP TABLE settings');
    await expect(dispatch('settings.get', {})).resolves.toEqual({
      ok: false,
      error: { code: 'internal', message: expect.not.stringMatching(/settings|SELECT/) },
    });
  });
});

describe('a full disk', () => {
  it('answers storage_full, keeps everything saved before, and works again once there is space', async () => {
    for (const name of ['Acme', 'Beta', 'Gamma']) {
      expect(await t.backend.dispatch('projects.create', { ...acme, name })).toMatchObject({ ok: true });
    }
    const db = t.backend.services.db;
    // SQLite itself raises SQLITE_FULL once the file would grow past this many pages.
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);

    const saved = ['Acme', 'Beta', 'Gamma'];
    let refused: { name: string; error: unknown } | undefined;
    for (let i = 0; i < 5000 && !refused; i++) {
      const name = `Client ${i} ${'x'.repeat(60)}`;
      const result = await t.backend.dispatch('projects.create', { ...acme, name });
      if (result.ok) saved.push(name);
      else refused = { name, error: result.error };
    }

    expect(refused?.error).toEqual({ code: 'storage_full', message: expect.stringMatching(/disk is full/i) });
    expect((await projectNames()).sort()).toEqual([...saved].sort());
    expect(t.events).toHaveLength(saved.length);

    db.pragma('max_page_count = 1073741823');
    expect(await t.backend.dispatch('projects.create', { ...acme, name: refused!.name })).toMatchObject({ ok: true });

    t.backend.close();
    t = openTestBackend(dir.path);
    expect((await projectNames()).sort()).toEqual([...saved, refused!.name].sort());
  });
});
