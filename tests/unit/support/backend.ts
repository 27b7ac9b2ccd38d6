import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { EventName, EventPayload } from '../../../main/core/contract';
import type { OutpostError, Result } from '../../../main/core/errors';
import { createNullLogger, type Logger } from '../../../main/services/log/logger';
import type { Clock } from '../../../main/services/ports';
import type { SecretStore } from '../../../main/services/secrets/secret-store';
import { createBackend, type Backend } from '../../../main/services/services';
import { openDatabase, type Db } from '../../../main/services/store/database';
import { migrations, type Migration } from '../../../main/services/store/migrations';

/** A fresh directory under the OS temp dir; `remove()` deletes it and everything in it. */
export function makeTempDir(prefix = 'outpost-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * For migration tests: each test gets a fresh database file; `open(list)` opens it with only the
 * migrations given (an older Outpost), then again with all of them. Closed and removed after each test.
 */
export function migrationDatabases(prefix: string): (list?: readonly Migration[]) => Db {
  let dir: ReturnType<typeof makeTempDir>;
  let opened: Db[] = [];
  beforeEach(() => {
    dir = makeTempDir(prefix);
    opened = [];
  });
  afterEach(() => {
    for (const db of opened) if (db.open) db.close();
    dir.remove();
  });
  return (list = migrations) => {
    const db = openDatabase(join(dir.path, 'outpost.db'), { migrations: list });
    opened.push(db);
    return db;
  };
}

/** Keeps secrets in a Map: the tests never touch the real keychain. */
export class MemorySecretStore implements SecretStore {
  readonly secrets = new Map<string, string>();

  async get(key: string): Promise<string | null> {
    return this.secrets.get(key) ?? null;
  }

  async set(key: string, secret: string): Promise<void> {
    this.secrets.set(key, secret);
  }

  async delete(key: string): Promise<boolean> {
    return this.secrets.delete(key);
  }

  async list(): Promise<string[]> {
    return [...this.secrets.keys()].sort();
  }

  async status(): Promise<{ available: boolean; detail?: string }> {
    return { available: true };
  }
}

/** A clock that moves only when the test says so. */
export class FakeClock implements Clock {
  constructor(private current = Date.UTC(2026, 0, 5, 9, 0)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

export interface EmittedEvent {
  event: EventName;
  payload: EventPayload<EventName>;
}

export interface TestBackend {
  backend: Backend;
  clock: FakeClock;
  /** Every event the backend emitted, in order. */
  events: EmittedEvent[];
  /** Every unexpected error the boundary logged. */
  logged: unknown[];
}

/** The real backend (store, migrations, handlers, dispatch) on a data dir of the test's choosing; it logs nowhere unless given a logger. */
export function openTestBackend(dataDir: string, clock = new FakeClock(), logger: Logger = createNullLogger()): TestBackend {
  const events: EmittedEvent[] = [];
  const logged: unknown[] = [];
  const backend = createBackend({
    dataDir,
    clock,
    emit: (event, payload) => events.push({ event, payload }),
    secrets: new MemorySecretStore(),
    platform: { host: 'browser', version: '0.0.0-test', openExternal: async () => {} },
    log: (error) => logged.push(error),
    logger,
  });
  return { backend, clock, events, logged };
}

/**
 * Requests through a backend's dispatch, as the UI sends them: `call` returns the result, `ok` the
 * value (failing the test on a refusal), `refused` the error (failing it on success).
 */
export function dispatcher(backendOf: () => Backend) {
  const call = async <T>(name: string, args: unknown): Promise<Result<T>> => (await backendOf().dispatch(name, args)) as Result<T>;
  return {
    call,
    ok: async <T>(name: string, args: unknown): Promise<T> => {
      const result = await call<T>(name, args);
      if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
    refused: async (name: string, args: unknown): Promise<OutpostError> => {
      const result = await call(name, args);
      if (result.ok) throw new Error(`${name} succeeded but should not have`);
      return result.error;
    },
  };
}
