import { communitySignInProblem, connectionProblem, credentialsProblem, type FieldProblem } from '../../core/networks/connect-fields';
import { randomUUID } from 'node:crypto';
import type { Account, AccountDefaults, ConnectResult, HandlersOf, accountRequests } from '../../core/contract';
import { DomainError } from '../../core/errors';
import { httpsLinkOrNull } from '../../core/links';
import { networkNames } from '../../core/networks/names';
import { getProject } from '../projects/projects-repo';
import { KeychainUnavailableError } from '../secrets/secret-store';
import { releaseAccountJobs } from '../scheduler/scheduling';
import type { Services } from '../services-types';
import {
  accountConfig,
  accountDefaults,
  accountIdsWithSecret,
  deletePlannedAccount,
  findAccountByRemoteKey,
  getAccountRow,
  insertConnectedAccount,
  insertPlannedAccount,
  listAccountRows,
  markAccountConnected,
  markAccountDisconnected,
  markAccountRenewed,
  movePlannedTargets,
  PLANNED_KEY,
  postCountsOf,
  updateAccountDefaults,
  type AccountRow,
} from './accounts-repo';
import { forgetRenewal } from './account-connection';
import { networkAccounts, type CommunitiesSignIn, type CommunityFlow, type NetworkAccounts, type SignInEnv, type VerifiedAccount } from './network-accounts';

type AccountHandlers = HandlersOf<typeof accountRequests>;

/** The keychain entry of an account: its id only, so the key itself says nothing. */
export function accountSecretKey(accountId: string): string {
  return `account:${accountId}`;
}

/**
 * The keychain entry one sign-in shares among the communities picked from it. VK ID refresh tokens
 * are single-use: with one entry, a refresh by any of those accounts (the connector's
 * saveCredentials) is what every other one reads next, so none is left holding a spent token.
 */
export function signInSecretKey(signInId: string): string {
  return `signin:${signInId}`;
}

/** How long a finished sign-in waits in main for the user to pick its communities. */
export const PICK_TTL_MS = 10 * 60_000;

/** A finished community sign-in waiting for the pick; its secret never leaves main. */
interface PendingPick {
  id: string;
  projectId: string;
  flow: NetworkAccounts;
  communities: CommunityFlow;
  signedIn: CommunitiesSignIn;
  expiresAt: number;
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
  /** The community sign-in waiting for the user's pick (one dialog at a time: a newer one replaces it). */
  let pendingPick: PendingPick | undefined;

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
    const endsAt = flow?.signInEndsAt ? accountConfig(db, row).signInEndsAt : undefined;
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
      // The user's own server (Mastodon), or the network's one scheduler for everyone ("VK").
      nativeScheduler: entry?.nativeScheduling ? (entry.userChosenServer ? hostOf(row.baseUrl) : networkNames[row.network]) : null,
      deleteWindowHours: deleteWindowMs === undefined ? null : deleteWindowMs / 3_600_000,
      ...(typeof endsAt === 'number' ? { signInEndsAt: endsAt } : {}),
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

  const mustPlanned = (id: string): AccountRow => {
    const row = mustAccount(id);
    if (row.status !== 'planned') throw new DomainError('validation', 'That account is connected, not a planned network.', { reason: 'account_not_planned', field: 'id' });
    return row;
  };

  const changed = (row: Pick<AccountRow, 'projectId' | 'id'>) => emit('accounts.changed', { projectId: row.projectId, accountId: row.id });

  /** Fields that cannot be right are refused before the keychain (or the network) is touched at all. */
  const mustBeWellFormed = (problem: FieldProblem | null) => {
    if (problem) throw new DomainError('validation', `The ${problem.field} field is not filled in as it should be (${problem.reason}).`, problem);
  };

  /** Proving an account can take minutes in the browser: make sure the secret can be kept first. */
  const requireKeychain = async () => {
    const status = await secrets.status();
    if (!status.available) throw keychainError(status.detail);
  };

  const verify = async <T = VerifiedAccount>(flow: NetworkAccounts, run: (env: SignInEnv) => Promise<T>, inBrowser = flow.usesBrowser): Promise<T> => {
    const controller = new AbortController();
    if (inBrowser) {
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

  /**
   * Where an account's renewed sign-in goes: its own keychain entry, or the one it shares with other
   * communities when the new sign-in is the same app and user (then all of them are renewed); a
   * different user's sign-in gets an entry of its own, so the others keep theirs.
   */
  const secretRefFor = async (flow: NetworkAccounts, row: AccountRow | undefined, id: string, verified: VerifiedAccount): Promise<string> => {
    const ref = row?.secretRef;
    if (!ref) return accountSecretKey(id);
    if (accountIdsWithSecret(db, ref).every((other) => other === id)) return ref;
    const current = await inKeychain(() => secrets.get(ref));
    const identity = (secret: string, config: string) => {
      try {
        return (flow.identity ?? flow.communities?.identity)?.(secret, config);
      } catch {
        return undefined;
      }
    };
    const before = current === null ? undefined : identity(current, row.config);
    return before !== undefined && before === identity(verified.secret, verified.config) ? ref : accountSecretKey(id);
  };

  /** A keychain entry no account points at any more is deleted (best effort: it holds nothing anyone uses). */
  const dropIfUnused = async (ref: string | null) => {
    if (!ref || accountIdsWithSecret(db, ref).length > 0) return;
    forgetRenewal(ref);
    await secrets.delete(ref).catch((error: unknown) => services.logger.info('accounts: an unused sign-in stayed in the keychain', { err: error }));
  };

  const mustPick = (pendingId: string): PendingPick => {
    const pick = pendingPick;
    if (pick && pick.expiresAt <= clock.now()) pendingPick = undefined;
    if (!pick || pick.id !== pendingId || pick.expiresAt <= clock.now()) {
      throw new DomainError('not_found', 'That sign-in is no longer waiting; sign in again to choose communities.', { reason: 'signin_expired' });
    }
    return pick;
  };

  return {
    'accounts.list': ({ projectId }) => {
      mustProject(projectId);
      const rows = listAccountRows(db, projectId);
      const counts = postCountsOf(db, rows.filter((r) => r.status === 'planned').map((r) => r.id));
      return rows.map((row) => (row.status === 'planned' ? { ...toAccount(row), plannedPosts: counts.get(row.id) ?? 0 } : toAccount(row)));
    },

    'accounts.plan': ({ projectId, network }) => {
      mustProject(projectId);
      const existing = findAccountByRemoteKey(db, projectId, network, PLANNED_KEY);
      if (existing) return { ...toAccount(existing), plannedPosts: postCountsOf(db, [existing.id]).get(existing.id) ?? 0 };
      const id = randomUUID();
      insertPlannedAccount(db, { id, projectId, network, now: clock.now() });
      const row = mustAccount(id);
      changed(row);
      return { ...toAccount(row), plannedPosts: 0 };
    },

    'accounts.unplan': ({ id }) => {
      const row = mustPlanned(id);
      const count = postCountsOf(db, [id]).get(id) ?? 0;
      if (count > 0) {
        throw new DomainError('conflict', `${count} posts are drafted for this network; give them an account first.`, { reason: 'planned_in_use', details: { count } });
      }
      deletePlannedAccount(db, id);
      changed(row);
      return { removed: true as const };
    },

    'accounts.adoptPlanned': ({ id, accountId }) => {
      const planned = mustPlanned(id);
      const account = mustAccount(accountId);
      if (account.projectId !== planned.projectId || account.network !== planned.network || account.status === 'planned') {
        throw new DomainError('validation', `The account must be a ${planned.network} account of the same project.`, { reason: 'account_not_matching', field: 'accountId' });
      }
      const result = db.transaction(() => {
        const outcome = movePlannedTargets(db, id, accountId);
        if (outcome.left === 0) deletePlannedAccount(db, id);
        return outcome;
      })();
      changed(planned);
      changed(account);
      return result;
    },

    'accounts.connect': async ({ projectId, connection }) => {
      mustProject(projectId);
      const flow = flowOf(connection.network);
      mustBeWellFormed(connectionProblem(connection));
      await requireKeychain();
      const verified = await verify(flow, (env) => flow.connect(env, connection));
      mustProject(projectId);

      const existing = findAccountByRemoteKey(db, projectId, flow.network, verified.remoteKey);
      const id = existing?.id ?? randomUUID();
      const secretRef = await secretRefFor(flow, existing, id, verified);
      const previous = existing?.secretRef === secretRef ? await inKeychain(() => secrets.get(secretRef)) : null;
      await inKeychain(() => secrets.set(secretRef, verified.secret));
      forgetRenewal(secretRef);
      const { secret: _secret, network: _network, secretGroup: _group, defaults: initialDefaults, ...account } = verified;
      try {
        if (existing) markAccountConnected(db, id, { ...account, secretRef }, clock.now());
        else insertConnectedAccount(db, { ...account, id, projectId, network: flow.network, secretRef, now: clock.now() });
        // What the user chose while connecting (X's cap) becomes the new account's settings; a renewed account keeps its own.
        if (!existing && initialDefaults) updateAccountDefaults(db, id, JSON.stringify(flow.defaults(initialDefaults)), clock.now());
      } catch (error) {
        // Nothing in SQLite points at the secret we just wrote: take it back out.
        // Already logged by the keychain wrapper; the store's error is the one the user sees.
        if (previous !== null) await secrets.set(secretRef, previous).catch(() => undefined);
        else await secrets.delete(secretRef).catch(() => undefined);
        throw error;
      }
      if (existing && existing.secretRef !== secretRef) await dropIfUnused(existing.secretRef);
      // A renewed sign-in frees the posts held while it was broken.
      if (existing) releaseAccountJobs(scheduling, id);
      const row = mustAccount(id);
      changed(row);
      if (previous !== verified.secret) retire(flow, existing?.baseUrl ?? null, previous);
      return { account: toAccount(row), renewed: existing !== undefined };
    },

    'accounts.reconnect': async ({ id, credentials }) => {
      const row = mustAccount(id);
      if (row.status === 'planned') throw new DomainError('validation', 'A planned network is connected with accounts.connect.', { reason: 'account_planned', field: 'id' });
      const flow = flowOf(row.network);
      if (credentials.network !== row.network) {
        throw new DomainError('bad_request', `This is a ${row.network} account, not ${credentials.network}.`, { field: 'credentials.network' });
      }
      mustBeWellFormed(credentialsProblem(credentials));
      await requireKeychain();
      const verified = await verify(flow, (env) => flow.reconnect(env, row, credentials));
      if (verified.remoteKey !== row.remoteKey) {
        // The user signed in as someone else: keep nothing of that sign-in.
        retire(flow, verified.baseUrl, verified.secret);
        throw new DomainError('conflict', `That sign-in is for ${verified.handle}, not ${row.handle}.`, { reason: 'account_mismatch' });
      }
      const current = mustAccount(id);
      const secretRef = await secretRefFor(flow, current, id, verified);
      const previous = current.secretRef === secretRef ? await inKeychain(() => secrets.get(secretRef)) : null;
      await inKeychain(() => secrets.set(secretRef, verified.secret));
      forgetRenewal(secretRef);
      const { secret: _secret, network: _network, secretGroup: _group, ...account } = verified;
      markAccountConnected(db, id, { ...account, secretRef }, clock.now());
      if (current.secretRef !== secretRef) await dropIfUnused(current.secretRef);
      releaseAccountJobs(scheduling, id);
      // The communities sharing this sign-in are renewed with it: those waiting for a reconnect work again.
      for (const other of accountIdsWithSecret(db, secretRef)) {
        if (other === id || !markAccountRenewed(db, other, clock.now())) continue;
        releaseAccountJobs(scheduling, other);
        changed(mustAccount(other));
      }
      const updated = mustAccount(id);
      changed(updated);
      if (previous !== verified.secret) retire(flow, current.baseUrl, previous);
      return toAccount(updated);
    },

    'accounts.cancelSignIn': () => {
      const pending = pendingSignIn;
      const picking = pendingPick;
      pendingSignIn = undefined;
      pendingPick = undefined;
      pending?.abort();
      return { cancelled: pending !== undefined || picking !== undefined };
    },

    'accounts.signIn': async ({ projectId, signIn }) => {
      mustProject(projectId);
      const flow = flowOf(signIn.network);
      const communities = flow.communities;
      if (!communities) throw new Error(`${signIn.network} has no communities to choose from`);
      mustBeWellFormed(communitySignInProblem(signIn));
      await requireKeychain();
      pendingPick = undefined;
      const signedIn = await verify(flow, (env) => communities.signIn(env, signIn));
      mustProject(projectId);
      const pick: PendingPick = { id: randomUUID(), projectId, flow, communities, signedIn, expiresAt: clock.now() + PICK_TTL_MS };
      pendingPick = pick;
      return {
        pendingId: pick.id,
        network: flow.network as 'vk' | 'ok' | 'facebook' | 'pinterest' | 'linkedin',
        who: signedIn.who,
        expiresAt: pick.expiresAt,
        communities: signedIn.choices.map((choice) => {
          const account = findAccountByRemoteKey(db, projectId, choice.network ?? flow.network, choice.id);
          return { ...choice, accountId: account?.status === 'connected' ? account.id : null };
        }),
      };
    },

    'accounts.connectCommunities': async ({ pendingId, communities: picked }) => {
      const pick = mustPick(pendingId);
      const { flow, projectId, signedIn } = pick;
      mustProject(projectId);
      await requireKeychain();
      // Every pick is checked before anything is saved: one refusal saves none.
      const verified = new Map<string, VerifiedAccount>();
      for (const community of new Set(picked.map((c) => c.trim()))) {
        let account: VerifiedAccount;
        try {
          account = await verify(flow, (env) => pick.communities.account(env, signedIn, community), false);
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          const name = signedIn.choices.find((c) => c.id === community)?.name ?? community;
          throw new DomainError(error.code, error.message, {
            ...(error.field ? { field: error.field } : {}),
            ...(error.reason ? { reason: error.reason } : {}),
            ...(error.networkMessage ? { networkMessage: error.networkMessage } : {}),
            ...(error.networkSaid ? { networkSaid: error.networkSaid } : {}),
            details: { ...error.details, community: name },
          });
        }
        // A session renewed while checking (OK) is the one to keep; an account with its own secret (a Facebook Page) leaves the sign-in's alone.
        if (account.secretGroup === undefined) signedIn.secret = account.secret;
        verified.set(`${account.network ?? flow.network}:${account.remoteKey}`, account);
      }
      if (pendingPick !== pick) throw new DomainError('not_found', 'That sign-in was replaced by a newer one.', { reason: 'signin_expired' });
      pendingPick = undefined;

      // One keychain entry for the sign-in, or one per group of accounts that carry their own secret (a Page with its Instagram account).
      const entries = new Map<string, string>();
      const refs = new Map<VerifiedAccount, string>();
      for (const account of verified.values()) {
        if (account.secretGroup === undefined) {
          entries.set(signInSecretKey(pick.id), signedIn.secret);
          refs.set(account, signInSecretKey(pick.id));
          continue;
        }
        // Renewed by the same app and user, an account keeps the entry it shares (a Page with its Instagram account), renewing both.
        const existing = findAccountByRemoteKey(db, projectId, account.network ?? flow.network, account.remoteKey);
        const kept = existing?.secretRef && (await secretRefFor(flow, existing, existing.id, account)) === existing.secretRef ? existing.secretRef : null;
        const ref = kept ?? `${signInSecretKey(pick.id)}:${account.secretGroup}`;
        entries.set(ref, account.secret);
        refs.set(account, ref);
      }
      /** Each entry written, with what it held before (null: it is new), to put back if the store refuses. */
      const written = new Map<string, string | null>();
      const saved: Array<{ id: string; existing: AccountRow | undefined }> = [];
      try {
        for (const [ref, secret] of entries) {
          const before = await inKeychain(() => secrets.get(ref));
          await inKeychain(() => secrets.set(ref, secret));
          written.set(ref, before);
          forgetRenewal(ref);
        }
        db.transaction(() => {
          for (const [{ secret: _secret, network: own, secretGroup: _group, ...account }, secretRef] of refs) {
            const network = own ?? flow.network;
            const existing = findAccountByRemoteKey(db, projectId, network, account.remoteKey);
            const id = existing?.id ?? randomUUID();
            if (existing) markAccountConnected(db, id, { ...account, secretRef }, clock.now());
            else insertConnectedAccount(db, { ...account, id, projectId, network, secretRef, now: clock.now() });
            saved.push({ id, existing });
          }
        })();
      } catch (error) {
        for (const [ref, before] of written) await (before === null ? secrets.delete(ref) : secrets.set(ref, before)).catch(() => undefined);
        throw error;
      }
      const results: ConnectResult[] = [];
      for (const { id, existing } of saved) {
        if (existing) {
          await dropIfUnused(existing.secretRef);
          releaseAccountJobs(scheduling, id);
        }
        const row = mustAccount(id);
        changed(row);
        results.push({ account: toAccount(row), renewed: existing !== undefined });
      }
      return results;
    },

    'accounts.disconnect': async ({ id }) => {
      const row = mustAccount(id);
      // A planned network has nothing to disconnect: it is removed with accounts.unplan.
      if (row.status === 'planned') throw new DomainError('validation', 'A planned network is removed, not disconnected.', { reason: 'account_planned', field: 'id' });
      let secret: string | null = null;
      // A sign-in other communities still use stays in the keychain (and is not revoked).
      if (row.secretRef && accountIdsWithSecret(db, row.secretRef).every((other) => other === id)) {
        const ref = row.secretRef;
        secret = await inKeychain(() => secrets.get(ref));
        await inKeychain(() => secrets.delete(ref));
        forgetRenewal(ref);
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
