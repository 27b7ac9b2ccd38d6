import type { AccountDefaults } from '../../core/contract';
import { ConnectorError, type Connector, type ConnectorContext } from '../../core/connector';
import type { Services } from '../services-types';
import { accountDefaults, getAccountRow, recordSignInEnd, type AccountRow } from './accounts-repo';
import { networkAccounts } from './network-accounts';
import { relayFor } from '../relay/relay-for';

/** Everything needed to call the network for one account; built per job, never stored. */
export interface AccountConnection {
  account: AccountRow;
  connector: Connector;
  ctx: ConnectorContext;
  /** The account's posting defaults (Telegram link preview, language…), for the publish request. */
  defaults: AccountDefaults;
}

/**
 * Sign-ins renewed by a connection of this process, by keychain entry. Refresh tokens can be
 * single-use (VK ID): a connection opened before another one renewed the entry it shares (a second
 * community of one sign-in, or a second job of the same account) must call with the renewal, not
 * with its now-spent copy, and a connection opened while the renewal is still being written must
 * not read the old one. Cleared whenever the accounts handlers write or delete the entry.
 */
const renewals = new Map<string, string>();

/** For the accounts handlers: this keychain entry now holds a new sign-in (or none); forget the renewal. */
export function forgetRenewal(secretRef: string): void {
  renewals.delete(secretRef);
}

/**
 * For the scheduler: the connector and a ready context for an account, its secret read from the
 * keychain. Throws ConnectorError('auth') when the account is not connected or its secret is
 * gone, so the job is held and the user asked to reconnect.
 */
export async function openAccountConnection(
  services: Pick<Services, 'db' | 'secrets' | 'clock' | 'connectors'>,
  accountId: string,
  signal?: AbortSignal,
): Promise<AccountConnection> {
  const account = getAccountRow(services.db, accountId);
  if (!account) throw new ConnectorError('permanent', `The account ${accountId} no longer exists.`);
  const flow = networkAccounts[account.network];
  const entry = services.connectors.entry(account.network);
  if (!flow || !entry?.connector) throw new ConnectorError('permanent', `Publishing to ${account.network} is not available in this version.`);
  if (account.status === 'disconnected' || !account.secretRef) {
    throw new ConnectorError('auth', `${account.handle} is disconnected; connect it again to publish.`);
  }
  const secretRef = account.secretRef;
  const secret = renewals.get(secretRef) ?? (await services.secrets.get(secretRef));
  if (secret === null) throw new ConnectorError('auth', `The keychain has no sign-in for ${account.handle}; reconnect it.`);
  const defaults = flow.defaults(accountDefaults(services.db, account));
  let own = { secret, credentials: flow.credentials(secret) };
  // The connector reads ctx.credentials before each call: a renewal by any connection of the entry wins.
  const current = () => {
    const renewed = renewals.get(secretRef);
    if (renewed !== undefined && renewed !== own.secret) own = { secret: renewed, credentials: flow.credentials(renewed) };
    return own.credentials;
  };
  const config = flow.connectorConfig(account, defaults);
  // The project's media relay, for networks that fetch files by address; the Page relay signs with this account's own entry.
  const relay = relayFor(services, {
    projectId: account.projectId,
    network: account.network,
    config,
    secret: () => {
      current();
      return own.secret;
    },
    facebookBaseUrl: services.connectors.baseUrl('facebook'),
  });
  return {
    account,
    connector: entry.connector as Connector,
    defaults,
    ctx: {
      baseUrl: services.connectors.baseUrl(account.network, account.baseUrl),
      get credentials() {
        return current();
      },
      set credentials(credentials) {
        own = { secret: JSON.stringify(credentials), credentials };
      },
      config,
      fetch: services.connectors.fetch,
      now: () => services.clock.now(),
      // Every network's secret is its credentials as JSON, so a renewed session replaces it as is.
      saveCredentials: async (credentials) => {
        const renewed = JSON.stringify(credentials);
        renewals.set(secretRef, renewed);
        own = { secret: renewed, credentials };
        await services.secrets.set(secretRef, renewed);
        if (flow.signInEndsAt) recordSignInEnd(services.db, account.id, flow.signInEndsAt(credentials));
      },
      ...(signal ? { signal } : {}),
      ...(relay ? { relay } : {}),
    },
  };
}
