import { accountDefaultsSchema, type AccountDefaults, type AccountStatus } from '../../core/contract';
import { httpsLinkOrNull } from '../../core/links';
import type { NetworkId } from '../../core/networks/ids';
import type { Db } from '../store/database';
import { parseJsonColumn, UNREADABLE } from '../store/json-columns';

/** One accounts row as stored; `config` and `defaults` are JSON text. Never holds a secret. */
export interface AccountRow {
  id: string;
  projectId: string;
  network: NetworkId;
  handle: string;
  displayName: string;
  /** The keychain key of this account's secret (communities picked after one sign-in share it); null once disconnected. */
  secretRef: string | null;
  status: AccountStatus;
  statusReason: string | null;
  remoteKey: string | null;
  baseUrl: string | null;
  profileUrl: string | null;
  config: string;
  defaults: string;
  createdAt: number;
  updatedAt: number;
}

const columns = `id, project_id AS projectId, network, handle, display_name AS displayName, secret_ref AS secretRef,
  status, status_reason AS statusReason, remote_key AS remoteKey, base_url AS baseUrl, profile_url AS profileUrl,
  config, defaults, created_at AS createdAt, updated_at AS updatedAt`;

/** A project's accounts, disconnected ones last; ones connected together (picked after one sign-in) by name; served by accounts_project. */
export const ACCOUNTS_OF_PROJECT_SQL = /* sql */ `
  SELECT ${columns} FROM accounts
  WHERE project_id = ?
  ORDER BY status = 'disconnected', status = 'planned', created_at, display_name, id`;

export function listAccountRows(db: Db, projectId: string): AccountRow[] {
  return db.prepare(ACCOUNTS_OF_PROJECT_SQL).all(projectId) as AccountRow[];
}

export function getAccountRow(db: Db, id: string): AccountRow | undefined {
  return db.prepare(`SELECT ${columns} FROM accounts WHERE id = ?`).get(id) as AccountRow | undefined;
}

/** The account with this network identity in the project, whatever its status. */
export function findAccountByRemoteKey(db: Db, projectId: string, network: NetworkId, remoteKey: string): AccountRow | undefined {
  return db
    .prepare(`SELECT ${columns} FROM accounts WHERE project_id = ? AND network = ? AND remote_key = ?`)
    .get(projectId, network, remoteKey) as AccountRow | undefined;
}

/** The ids of the accounts whose sign-in is this keychain entry (several communities from one sign-in share one). */
export function accountIdsWithSecret(db: Db, secretRef: string): string[] {
  return (db.prepare('SELECT id FROM accounts WHERE secret_ref = ?').all(secretRef) as { id: string }[]).map((r) => r.id);
}

/** What a successful connect or reconnect knows about the account (never its secret). */
export interface ConnectedAccount {
  handle: string;
  displayName: string;
  remoteKey: string;
  baseUrl: string | null;
  /** Stored only if https (the UI opens it in the browser); anything else becomes null. */
  profileUrl: string | null;
  config: string;
}

export function insertConnectedAccount(
  db: Db,
  row: ConnectedAccount & { id: string; projectId: string; network: NetworkId; secretRef: string; now: number },
): void {
  db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, secret_ref, status, status_reason,
       remote_key, base_url, profile_url, config, created_at, updated_at)
     VALUES (@id, @projectId, @network, @handle, @displayName, @secretRef, 'connected', NULL,
       @remoteKey, @baseUrl, @profileUrl, @config, @now, @now)`,
  ).run({ ...row, profileUrl: httpsLinkOrNull(row.profileUrl) });
}

/** The remote_key a planned network is stored under: the unique index then keeps one per network and project. */
export const PLANNED_KEY = 'planned';

export function insertPlannedAccount(db: Db, row: { id: string; projectId: string; network: NetworkId; now: number }): void {
  db.prepare(
    `INSERT INTO accounts (id, project_id, network, handle, display_name, secret_ref, status, remote_key, created_at, updated_at)
     VALUES (@id, @projectId, @network, '', '', NULL, 'planned', '${PLANNED_KEY}', @now, @now)`,
  ).run(row);
}

/** How many posts aim at each of these accounts. */
export function postCountsOf(db: Db, accountIds: readonly string[]): Map<string, number> {
  if (accountIds.length === 0) return new Map();
  const rows = db
    .prepare(`SELECT account_id AS id, COUNT(*) AS n FROM post_targets WHERE account_id IN (${accountIds.map(() => '?').join(',')}) GROUP BY account_id`)
    .all(...accountIds) as { id: string; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}

/**
 * Moves the planned network's targets to a real account, except on posts that already go to that
 * account (UNIQUE (post_id, account_id)); returns how many moved and how many stayed.
 */
export function movePlannedTargets(db: Db, plannedId: string, accountId: string): { moved: number; left: number } {
  const moved = db
    .prepare(
      `UPDATE post_targets SET account_id = @accountId
       WHERE account_id = @plannedId AND post_id NOT IN (SELECT post_id FROM post_targets WHERE account_id = @accountId)`,
    )
    .run({ plannedId, accountId }).changes;
  const left = (db.prepare('SELECT COUNT(*) AS n FROM post_targets WHERE account_id = ?').get(plannedId) as { n: number }).n;
  return { moved, left };
}

/** Only for a planned network no post uses any more: targets would go with it (ON DELETE CASCADE). */
export function deletePlannedAccount(db: Db, id: string): void {
  db.prepare(`DELETE FROM accounts WHERE id = ? AND status = 'planned' AND NOT EXISTS (SELECT 1 FROM post_targets WHERE account_id = accounts.id)`).run(id);
}

/** Back to connected with fresh details; the id, defaults and post history stay. */
export function markAccountConnected(db: Db, id: string, account: ConnectedAccount & { secretRef: string }, now: number): void {
  db.prepare(
    `UPDATE accounts SET handle = @handle, display_name = @displayName, secret_ref = @secretRef, status = 'connected',
       status_reason = NULL, remote_key = @remoteKey, base_url = @baseUrl, profile_url = @profileUrl, config = @config,
       updated_at = @now
     WHERE id = @id`,
  ).run({ ...account, profileUrl: httpsLinkOrNull(account.profileUrl), id, now });
}

/** A sign-in it shares was renewed by another account's reconnect: connected again, if it was waiting for that. */
export function markAccountRenewed(db: Db, id: string, now: number): boolean {
  return db.prepare(`UPDATE accounts SET status = 'connected', status_reason = NULL, updated_at = ? WHERE id = ? AND status = 'reconnect_needed'`).run(now, id).changes > 0;
}

export function markAccountDisconnected(db: Db, id: string, now: number): void {
  db.prepare(`UPDATE accounts SET status = 'disconnected', status_reason = NULL, secret_ref = NULL, updated_at = ? WHERE id = ?`).run(now, id);
}

/** For the scheduler: the network refused the credential; the user must reconnect. */
export function markAccountReconnectNeeded(db: Db, id: string, reason: string, now: number): void {
  db.prepare(
    `UPDATE accounts SET status = 'reconnect_needed', status_reason = ?, updated_at = ? WHERE id = ? AND status = 'connected'`,
  ).run(reason, now, id);
}

/** A renewed sign-in's end, kept in the account's config (not a secret) for the reminder before it runs out. */
export function recordSignInEnd(db: Db, id: string, endsAt: number | null): void {
  db.prepare(`UPDATE accounts SET config = json_set(config, '$.signInEndsAt', ?) WHERE id = ? AND json_valid(config)`).run(endsAt, id);
}

export function updateAccountDefaults(db: Db, id: string, defaults: string, now: number): void {
  db.prepare('UPDATE accounts SET defaults = ?, updated_at = ? WHERE id = ?').run(defaults, now, id);
}

/** A project's accounts that can still publish (not disconnected), with their config as stored. */
export function listActiveAccountConfigs(db: Db, projectId: string): { id: string; network: NetworkId; handle: string; config: string }[] {
  return db
    .prepare(`SELECT id, network, handle, config FROM accounts WHERE project_id = ? AND status != 'disconnected'`)
    .all(projectId) as { id: string; network: NetworkId; handle: string; config: string }[];
}

/** An account's config column read: its rule options, or none (the network's own limits) when it cannot be read. */
export function accountConfig(db: Db, account: { id: string; config: string }): Record<string, unknown> {
  const value = parseJsonColumn(db, account.config, { table: 'accounts', column: 'config', id: account.id });
  return value === UNREADABLE || typeof value !== 'object' || value === null ? {} : (value as Record<string, unknown>);
}

/** An account's posting defaults (link preview, language…); none when the stored ones cannot be read. */
export function accountDefaults(db: Db, account: { id: string; defaults: string }): AccountDefaults {
  const value = parseJsonColumn(db, account.defaults, { table: 'accounts', column: 'defaults', id: account.id });
  const parsed = accountDefaultsSchema.safeParse(value === UNREADABLE ? {} : value);
  return parsed.success ? parsed.data : {};
}
