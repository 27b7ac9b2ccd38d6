import type { Args, EventName, EventPayload, OutpostApi, Project, Reply, RequestName, Settings } from '../../main/core/contract';
import type { Result } from '../../main/core/errors';

type Answer = (args: unknown) => Result<unknown>;

/** A stand-in for window.outpost: records every call and answers from a table of handlers. */
export interface FakeApi extends OutpostApi {
  calls: { name: RequestName; args: unknown }[];
  answer<N extends RequestName>(name: N, reply: (args: Args<N>) => Result<Reply<N>>): void;
  /** Delivers an event to the renderer's listeners, as main does (an answer may call it before it returns). */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export function createFakeApi(): FakeApi {
  const answers = new Map<string, Answer>();
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  return {
    calls,
    answer(name, reply) {
      answers.set(name, reply as Answer);
    },
    async invoke(name, args) {
      calls.push({ name, args });
      const answer = answers.get(name);
      if (!answer) return { ok: false, error: { code: 'unknown_request', message: `The fake has no answer for ${name}.` } };
      return answer(args) as never;
    },
    emit(event, payload) {
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
}

export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: 'p1',
    name: 'Acme Bakery',
    color: '#2563eb',
    timezone: 'Europe/Lisbon',
    archived: false,
    lateGraceMinutes: 30,
    stripLocation: true,
    clientLanguage: null,
    createdAt: 1,
    updatedAt: 1,
    ...overrides,
  };
}

/** A fake with a settings store and a project list, enough for the whole shell to render. */
export function createShellApi(projects: Project[]): FakeApi & { settings: Settings } {
  const api = createFakeApi() as FakeApi & { settings: Settings };
  api.settings = {
    theme: 'system',
    language: 'en',
    hourCycle: 'system',
    weekStart: 'system',
    activeProjectId: projects[0]?.id ?? null,
    runInBackground: true,
    startAtLogin: false,
    notifications: { published: true, failed: true, needsAttention: true },
  };
  api.answer('settings.get', () => ({ ok: true, value: api.settings }));
  api.answer('settings.update', (changes) => {
    api.settings = { ...api.settings, ...changes } as Settings;
    return { ok: true, value: api.settings };
  });
  api.answer('projects.list', () => ({ ok: true, value: projects }));
  api.answer('app.info', () => ({
    ok: true,
    value: { version: '0.0.0-test', host: 'browser', dataDir: '/tmp/outpost', logFile: '/tmp/outpost/logs/outpost.log', keychain: { available: true } },
  }));
  api.answer('data.status', () => ({
    ok: true,
    value: { state: 'ready', problem: null, detail: null, mediaFiles: 0, newestBackup: null, dataDir: '/tmp/outpost' },
  }));
  api.answer('data.backups', () => ({ ok: true, value: { backups: [], folder: '/tmp/outpost/backups' } }));
  api.answer('data.quarantine', () => ({ ok: true, value: { items: [], folder: '/tmp/outpost/quarantine' } }));
  return api;
}
