import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Args, Project, RequestName, Settings } from '../../main/core/contract';
import type { OutpostError } from '../../main/core/errors';
import { makeTempDir, openTestBackend, type TestBackend } from './support/backend';

let dir: ReturnType<typeof makeTempDir>;
let t: TestBackend;

beforeEach(() => {
  dir = makeTempDir('outpost-projects-');
  t = openTestBackend(dir.path);
});

afterEach(() => {
  t.backend.close();
  dir.remove();
});

function reopen(): void {
  t.backend.close();
  t = openTestBackend(dir.path, t.clock);
}

/** Sends a request that must succeed and returns its value. */
async function send<N extends RequestName>(name: N, args: Args<N>): Promise<unknown> {
  const result = await t.backend.dispatch(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.reason ?? ''} ${result.error.message}`);
  return result.value;
}

/** Sends a request that must fail and returns its error. */
async function refused<N extends RequestName>(name: N, args: Args<N>): Promise<OutpostError> {
  const result = await t.backend.dispatch(name, args);
  if (result.ok) throw new Error(`${name} unexpectedly succeeded`);
  return result.error;
}

const create = async (name: string, extra: Partial<Args<'projects.create'>> = {}) =>
  (await send('projects.create', { name, color: '#2563eb', timezone: 'Europe/Berlin', ...extra })) as Project;
const list = async (includeArchived?: boolean) =>
  (await send('projects.list', includeArchived === undefined ? {} : { includeArchived })) as Project[];
const names = async (includeArchived?: boolean) => (await list(includeArchived)).map((p) => p.name);

describe('a project\'s publishing policy', () => {
  it('defaults to publishing up to 30 minutes late and stripping location, and keeps changes across a restart', async () => {
    const acme = await create('Acme');
    expect(acme).toMatchObject({ lateGraceMinutes: 30, stripLocation: true });
    await send('projects.update', { id: acme.id, lateGraceMinutes: 120, stripLocation: false });
    reopen();
    expect((await list())[0]).toMatchObject({ lateGraceMinutes: 120, stripLocation: false });
  });

  it('refuses a negative or absurd grace period', async () => {
    const acme = await create('Acme');
    expect(await refused('projects.update', { id: acme.id, lateGraceMinutes: -5 })).toMatchObject({ code: 'bad_request', field: 'lateGraceMinutes' });
    expect(await refused('projects.update', { id: acme.id, lateGraceMinutes: 60 * 24 * 365 })).toMatchObject({ code: 'bad_request' });
    expect((await list())[0]?.lateGraceMinutes).toBe(30);
  });
});

describe('creating a project', () => {
  it('trims and normalises the name, stores colour and zone, and announces it', async () => {
    const project = await create('  Acme \t  Studio  ', { color: '#16a34a', timezone: 'America/New_York' });

    expect(project).toEqual({
      id: expect.any(String),
      name: 'Acme Studio',
      color: '#16a34a',
      timezone: 'America/New_York',
      archived: false,
      lateGraceMinutes: 30,
      stripLocation: true,
      clientLanguage: null,
      createdAt: t.clock.now(),
      updatedAt: t.clock.now(),
    });
    expect(await list()).toEqual([project]);
    expect(t.events).toEqual([{ event: 'projects.changed', payload: { projectId: project.id } }]);
  });

  it.each([[''], ['   '], ['\t\n ']])('refuses an empty name (%j) and saves nothing', async (name) => {
    expect(await refused('projects.create', { name, color: '#2563eb', timezone: 'UTC' })).toMatchObject({
      code: 'validation',
      field: 'name',
      reason: 'name_empty',
    });
    expect(await list(true)).toEqual([]);
    expect(t.events).toEqual([]);
  });

  it('refuses a name longer than 80 characters', async () => {
    expect(await refused('projects.create', { name: 'a'.repeat(81), color: '#2563eb', timezone: 'UTC' })).toMatchObject({
      reason: 'name_too_long',
    });
  });

  it.each([['ACME studio'], ['  acme   STUDIO ']])('refuses %j when "Acme Studio" exists', async (name) => {
    await create('Acme Studio');
    expect(await refused('projects.create', { name, color: '#2563eb', timezone: 'UTC' })).toMatchObject({
      code: 'conflict',
      field: 'name',
      reason: 'name_duplicate',
    });
    expect(await names(true)).toEqual(['Acme Studio']);
  });

  it('refuses a duplicate of an archived project too, since unarchiving would clash', async () => {
    const acme = await create('Acme');
    await send('projects.archive', { id: acme.id, archived: true });
    expect(await refused('projects.create', { name: 'acme', color: '#2563eb', timezone: 'UTC' })).toMatchObject({
      reason: 'name_duplicate',
    });
  });

  it.each([['Mars/Olympus'], ['Berlin'], ['+05:00'], ['GMT+5']])('refuses %j as a time zone', async (timezone) => {
    expect(await refused('projects.create', { name: 'Acme', color: '#2563eb', timezone })).toMatchObject({
      code: 'validation',
      field: 'timezone',
      reason: 'timezone_invalid',
    });
    expect(await list(true)).toEqual([]);
  });

  it('lists projects by name, ignoring case', async () => {
    await create('zulu');
    await create('Beta');
    await create('alpha');
    expect(await names()).toEqual(['alpha', 'Beta', 'zulu']);
  });
});

describe('changing a project', () => {
  it('keeps a new name, colour and zone after the app is closed and reopened', async () => {
    const acme = await create('Acme');
    t.clock.advance(60_000);
    const updated = (await send('projects.update', {
      id: acme.id,
      name: ' Acme  Holding ',
      color: '#db2777',
      timezone: 'Asia/Tokyo',
    })) as Project;
    expect(updated).toMatchObject({ name: 'Acme Holding', color: '#db2777', timezone: 'Asia/Tokyo' });
    expect(updated.updatedAt).toBe(acme.createdAt + 60_000);

    reopen();
    expect(await list()).toEqual([updated]);
  });

  it('keeps the language the client reads across a restart, goes back to the app’s, and refuses one Outpost does not speak', async () => {
    const acme = await create('Acme', { clientLanguage: 'ru' });
    expect(acme.clientLanguage).toBe('ru');
    await send('projects.update', { id: acme.id, clientLanguage: 'he' });
    reopen();
    expect((await list())[0]?.clientLanguage).toBe('he');
    await send('projects.update', { id: acme.id, clientLanguage: null });
    expect((await list())[0]?.clientLanguage).toBeNull();
    expect(await refused('projects.update', { id: acme.id, clientLanguage: 'de' as never })).toMatchObject({ code: 'bad_request' });
  });

  it('changes only what was sent', async () => {
    const acme = await create('Acme', { color: '#16a34a', timezone: 'Europe/Paris' });
    await send('projects.update', { id: acme.id, color: '#0891b2' });
    expect(await list()).toEqual([expect.objectContaining({ name: 'Acme', color: '#0891b2', timezone: 'Europe/Paris' })]);
  });

  it('refuses renaming to another project’s name in any case, but allows re-casing its own', async () => {
    const acme = await create('Acme');
    const beta = await create('Beta');

    expect(await refused('projects.update', { id: beta.id, name: 'ACME' })).toMatchObject({
      code: 'conflict',
      reason: 'name_duplicate',
    });
    expect(await send('projects.update', { id: acme.id, name: 'ACME' })).toMatchObject({ name: 'ACME' });
    expect(await names()).toEqual(['ACME', 'Beta']);
  });

  it('changes nothing when one part of an update is refused', async () => {
    const acme = await create('Acme', { color: '#16a34a' });
    expect(await refused('projects.update', { id: acme.id, name: 'Renamed', color: '#dc2626', timezone: 'Nowhere/Land' })).toMatchObject({
      reason: 'timezone_invalid',
    });
    expect(await refused('projects.update', { id: acme.id, name: '   ', color: '#dc2626' })).toMatchObject({ reason: 'name_empty' });
    expect(await list()).toEqual([acme]);
    expect(t.events).toHaveLength(1);
  });

  it('answers not_found for a project that does not exist', async () => {
    expect(await refused('projects.update', { id: 'gone', name: 'X' })).toMatchObject({ code: 'not_found', reason: 'project_missing' });
    expect(await refused('projects.archive', { id: 'gone', archived: true })).toMatchObject({ code: 'not_found' });
    expect(t.events).toEqual([]);
  });
});

describe('archiving', () => {
  it('hides an archived project unless asked for, brings it back when unarchived, and announces both', async () => {
    const acme = await create('Acme');
    const beta = await create('Beta');
    t.events.length = 0;

    expect(await send('projects.archive', { id: acme.id, archived: true })).toMatchObject({ archived: true });
    expect(await names()).toEqual(['Beta']);
    expect(await names(false)).toEqual(['Beta']);
    expect(await list(true)).toEqual([expect.objectContaining({ id: acme.id, archived: true }), beta]);

    reopen();
    expect(await names()).toEqual(['Beta']);

    expect(await send('projects.archive', { id: acme.id, archived: false })).toMatchObject({ archived: false });
    expect(await names()).toEqual(['Acme', 'Beta']);
    expect(t.events).toEqual([{ event: 'projects.changed', payload: { projectId: acme.id } }]);
  });

  it('announces every change with the project’s id', async () => {
    const acme = await create('Acme');
    await send('projects.update', { id: acme.id, color: '#7c3aed' });
    await send('projects.archive', { id: acme.id, archived: true });
    expect(t.events).toEqual(Array(3).fill({ event: 'projects.changed', payload: { projectId: acme.id } }));
  });
});

describe('settings', () => {
  const getSettings = async () => (await send('settings.get', {})) as Settings;
  const defaults: Settings = {
    theme: 'system',
    // The system's languages decide until the user picks one.
    language: 'system',
    hourCycle: 'system',
    weekStart: 'system',
    activeProjectId: null,
    runInBackground: true,
    startAtLogin: false,
    notifications: { published: true, failed: true, needsAttention: true },
  };

  it('starts from the defaults: keep publishing in the background, notify about everything', async () => {
    expect(await getSettings()).toEqual(defaults);
  });

  it('changes one notification kind without touching the others', async () => {
    await send('settings.update', { notifications: { published: false }, startAtLogin: true });
    reopen();
    expect(await getSettings()).toEqual({
      ...defaults,
      startAtLogin: true,
      notifications: { published: false, failed: true, needsAttention: true },
    });
  });

  it('keeps the clock and the first day of the week, and refuses values it does not know', async () => {
    await send('settings.update', { hourCycle: 'h12', weekStart: 'sunday' });
    reopen();
    expect(await getSettings()).toEqual({ ...defaults, hourCycle: 'h12', weekStart: 'sunday' });
    expect(await refused('settings.update', { weekStart: 'tuesday' as 'sunday' })).toMatchObject({ code: 'bad_request' });
  });

  it('keeps the interface language, and refuses one Outpost does not speak', async () => {
    await send('settings.update', { language: 'he' });
    reopen();
    expect((await getSettings()).language).toBe('he');
    expect(await refused('settings.update', { language: 'de' as 'he' })).toMatchObject({ code: 'bad_request' });
  });

  it('reads settings saved by an older version, which lack the newer keys', async () => {
    t.backend.services.db
      .prepare("INSERT INTO settings (key, value) VALUES ('app', ?)")
      .run(JSON.stringify({ theme: 'dark', language: 'en', activeProjectId: null }));
    // English was the only language then, and stays the user's choice.
    expect(await getSettings()).toEqual({ ...defaults, theme: 'dark', language: 'en' });
  });

  it('keeps each change, merged with the rest, across a restart, and announces it', async () => {
    const acme = await create('Acme');
    await send('settings.update', { theme: 'dark', activeProjectId: acme.id });
    const after = await send('settings.update', { language: 'ru' });

    const expected = { ...defaults, theme: 'dark', language: 'ru', activeProjectId: acme.id };
    expect(after).toEqual(expected);
    expect(t.events.at(-1)).toEqual({ event: 'settings.changed', payload: expected });

    reopen();
    expect(await getSettings()).toEqual(expected);
    await send('settings.update', { activeProjectId: null });
    expect(await getSettings()).toEqual({ ...expected, activeProjectId: null });
  });

  it('refuses to make a project active that does not exist', async () => {
    const acme = await create('Acme');
    await send('settings.update', { activeProjectId: acme.id });
    const eventsBefore = t.events.length;

    expect(await refused('settings.update', { theme: 'light', activeProjectId: 'no-such-project' })).toMatchObject({
      code: 'not_found',
      field: 'activeProjectId',
      reason: 'project_missing',
    });
    expect(await getSettings()).toEqual({ ...defaults, activeProjectId: acme.id });
    expect(t.events).toHaveLength(eventsBefore);
  });

  it('forgets an active project that has since been removed', async () => {
    const acme = await create('Acme');
    await send('settings.update', { activeProjectId: acme.id });
    t.backend.services.db.prepare('DELETE FROM projects WHERE id = ?').run(acme.id);

    expect(await getSettings()).toEqual(defaults);
  });
});
