import { randomUUID } from 'node:crypto';
import type { Account, AccountDefaults, HandlersOf, accountRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { httpsLinkOrNull } from '../../core/links';
import { getProject } from '../projects/projects-repo';
import { KeychainUnavailableError } from '../secrets/secret-store';
import { releaseAccountJobs } from '../scheduler/scheduling';
import type { Services } from '../services-types';
import {
  accountDefaults,
  findAccountByRemoteKey,
  getAccountRow,
  insertConnectedAccount,
  listAccountRows,
  markAccountConnected,
  markAccountDisconnected,
  updateAccountDefaults,
  type AccountRow,
} from './accounts-repo';
import { networkAccounts, type NetworkAccounts, type SignInEnv, type VerifiedAccount } from './network-accounts';

type AccountHandlers = HandlersOf<typeof accountRequests>;

/** The keychain entry of an account: its id only, so the key itself says nothing. */
export function accountSecretKey(accountId: string): string {
  return `account:${accountId}`;
}

function keychainError(detail: string | undefined): DomainError {
  return new DomainError(
    'keychain_unavailable',
    `The system keychain is not available${detail ? ` (${detail})` : ''}; Outpost keeps sign-ins only there, so nothing was saved.`,
  );
}

/** Runs a keychain call; a missing keychain becomes the error the user can act on. */
async function inKeychain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof KeychainUnavailableError) throw keychainError(error.detail);
    throw error;
  }
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export function accountHandlers(services: Services): AccountHandlers {
  const { db, clock, emit, secrets, connectors: registry, platform } = services;
  const scheduling = { db, clock, wake: () => services.scheduler.wake() };
  /** The browser sign-in waiting for the user, if any; a newer one or cancelSignIn aborts it. */
  let pendingSignIn: AbortController | undefined;

  const flowOf = (network: string): NetworkAccounts => {
    const flow = networkAccounts[network as keyof typeof networkAccounts];
    if (!flow) {
      throw new DomainError('validation', `Connecting ${network} accounts is not available in this version.`, {
        field: 'network',
        reason: 'network_not_available',
      });
    }
    return flow;
  };

  const toAccount = (row: AccountRow): Account => {
    const flow = networkAccounts[row.network];
    const entry = registry.entry(row.network);
    const deleteWindowMs = entry?.connector?.deleteWindowMs;
    return {
      id: row.id,
      projectId: row.projectId,
      network: row.network,
      handle: row.handle,
      displayName: row.displayName,
      // Rows written before links were checked on the way in may hold an http one.
      url: httpsLinkOrNull(row.profileUrl),
      status: row.status,
      statusReason: row.statusReason,
      server: entry?.userChosenServer ? hostOf(row.baseUrl) : null,
      nativeScheduler: entry?.nativeScheduling ? hostOf(row.baseUrl) : null,
      deleteWindowHours: deleteWindowMs === undefined ? null : deleteWindowMs / 3_600_000,
      defaults: flow ? flow.defaults(accountDefaults(db, row)) : accountDefaults(db, row),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  };

  const mustProject = (projectId: string) => {
    if (!getProject(db, projectId)) {
      throw new DomainError('not_found', `There is no project with id ${projectId}.`, { reason: 'project_missing' });
    }
  };

  const mustAccount = (id: string): AccountRow => {
    const row = getAccountRow(db, id);
    if (!row) throw new DomainError('not_found', `There is no account with id ${id}.`, { reason: 'account_missing' });
    return row;
  };

  const changed = (row: Pick<AccountRow, 'projectId' | 'id'>) => emit('accounts.changed', { projectId: row.projectId, accountId: row.id });

  /** Proving an account can take minutes in the browser: make sure the secret can be kept first. */
  const requireKeychain = async () => {
    const status = await secrets.status();
    if (!status.available) throw keychainError(status.detail);
  };

  const verify = async (flow: NetworkAccounts, run: (env: SignInEnv) => Promise<VerifiedAccount>): Promise<VerifiedAccount> => {
    const controller = new AbortController();
    if (flow.usesBrowser) {
      pendingSignIn?.abort();
      pendingSignIn = controller;
    }
    try {
      const catchSignInRedirect = platform.catchSignInRedirect?.bind(platform);
      return await run({
        registry,
        now: () => clock.now(),
        openExternal: (url) => platform.openExternal(url),
        signal: controller.signal,
        ...(catchSignInRedirect ? { catchSignInRedirect } : {}),
      });
    } finally {
      if (pendingSignIn === controller) pendingSignIn = undefined;
    }
  };

  /** Best effort, never awaited by the user: a revoked token is hygiene, not a condition. */
  const retire = (flow: NetworkAccounts, baseUrl: string | null, secret: string | null) => {
    if (!secret || !flow.retire) return;
    flow
      .retire({ registry, now: () => clock.now() }, baseUrl, secret)
      .catch((error: unknown) => services.logger.info('accounts: the old sign-in could not be revoked', { network: flow.network, err: error }));
  };

  return {
    'accounts.list': ({ projectId }) => {
      mustProject(projectId);
      return listAccountRows(db, projectId).map(toAccount);
    },

    'accounts.connect': async ({ projectId, connection }) => {
      mustProject(projectId);
      const flow = flowOf(connection.network);
      await requireKeychain();
      const verified = await verify(flow, (env) => flow.connect(env, connection));
      mustProject(projectId);

      const existing = findAccountByRemoteKey(db, projectId, flow.network, verified.remoteKey);
      const id = existing?.id ?? randomUUID();
      const secretRef = existing?.secretRef ?? accountSecretKey(id);
      const previous = existing?.secretRef ? await inKeychain(() => secrets.get(secretRef)) : null;
      await inKeychain(() => secrets.set(secretRef, verified.secret));
      const { secret: _secret, ...account } = verified;
      try {
        if (existing) markAccountConnected(db, id, { ...account, secretRef }, clock.now());
        else insertConnectedAccount(db, { ...account, id, projectId, network: flow.network, secretRef, now: clock.now() });
      } catch (error) {
        // Nothing in SQLite points at the secret we just wrote: take it back out.
        // Already logged by the keychain wrapper; the store's error is the one the user sees.
        if (!existing) await secrets.delete(secretRef).catch(() => undefined);
        else if (previous !== null) await secrets.set(secretRef, previous).catch(() => undefined);
        throw error;
      }
      // A renewed sign-in frees the posts held while it was broken.
      if (existing) releaseAccountJobs(scheduling, id);
      const row = mustAccount(id);
      changed(row);
      if (previous !== verified.secret) retire(flow, existing?.baseUrl ?? null, previous);
      return { account: toAccount(row), renewed: existing !== undefined };
    },

    'accounts.reconnect': async ({ id, credentials }) => {
      const row = mustAccount(id);
      const flow = flowOf(row.network);
      if (credentials.network !== row.network) {
        throw new DomainError('bad_request', `This is a ${row.network} account, not ${credentials.network}.`, { field: 'credentials.network' });
      }
      await requireKeychain();
      const verified = await verify(flow, (env) => flow.reconnect(env, row, credentials));
      if (verified.remoteKey !== row.remoteKey) {
        // The user signed in as someone else: keep nothing of that sign-in.
        retire(flow, verified.baseUrl, verified.secret);
        throw new DomainError('conflict', `That sign-in is for ${verified.handle}, not ${row.handle}.`, { reason: 'account_mismatch' });
      }
      const current = mustAccount(id);
      const secretRef = current.secretRef ?? accountSecretKey(id);
      const previous = current.secretRef ? await inKeychain(() => secrets.get(secretRef)) : null;
      await inKeychain(() => secrets.set(secretRef, verified.secret));
      const { secret: _secret, ...account } = verified;
      markAccountConnected(db, id, { ...account, secretRef }, clock.now());
      releaseAccountJobs(scheduling, id);
      const updated = mustAccount(id);
      changed(updated);
      if (previous !== verified.secret) retire(flow, current.baseUrl, previous);
      return toAccount(updated);
    },

    'accounts.cancelSignIn': () => {
      const pending = pendingSignIn;
      pendingSignIn = undefined;
      pending?.abort();
      return { cancelled: pending !== undefined };
    },

    'accounts.disconnect': async ({ id }) => {
      const row = mustAccount(id);
      let secret: string | null = null;
      if (row.secretRef) {
        const ref = row.secretRef;
        secret = await inKeychain(() => secrets.get(ref));
        await inKeychain(() => secrets.delete(ref));
      }
      markAccountDisconnected(db, id, clock.now());
      const updated = mustAccount(id);
      changed(updated);
      const flow = networkAccounts[row.network];
      if (flow) retire(flow, row.baseUrl, secret);
      return toAccount(updated);
    },

    'accounts.updateDefaults': ({ id, defaults }) => {
      const row = mustAccount(id);
      const flow = flowOf(row.network);
      for (const key of Object.keys(defaults) as (keyof AccountDefaults)[]) {
        if (!flow.defaultFields.includes(key)) {
          throw new DomainError('validation', `${key} is not a setting of ${row.network} accounts.`, {
            field: `defaults.${key}`,
            reason: 'default_not_applicable',
          });
        }
      }
      const merged = flow.defaults({ ...accountDefaults(db, row), ...defaults });
      updateAccountDefaults(db, id, JSON.stringify(merged), clock.now());
      const updated = mustAccount(id);
      changed(updated);
      return toAccount(updated);
    },
  };
}
