import type { AccountDefaults } from '../../core/contract';
import { ConnectorError, type Connector, type ConnectorContext } from '../../core/connector';
import type { Services } from '../services-types';
import { accountDefaults, getAccountRow, type AccountRow } from './accounts-repo';
import { networkAccounts } from './network-accounts';

/** Everything needed to call the network for one account; built per job, never stored. */
export interface AccountConnection {
  account: AccountRow;
  connector: Connector;
  ctx: ConnectorContext;
  /** The account's posting defaults (Telegram link preview, language…), for the publish request. */
  defaults: AccountDefaults;
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
  const secret = await services.secrets.get(secretRef);
  if (secret === null) throw new ConnectorError('auth', `The keychain has no sign-in for ${account.handle}; reconnect it.`);
  const defaults = flow.defaults(accountDefaults(services.db, account));
  return {
    account,
    connector: entry.connector as Connector,
    defaults,
    ctx: {
      baseUrl: services.connectors.baseUrl(account.network, account.baseUrl),
      credentials: flow.credentials(secret),
      config: flow.connectorConfig(account, defaults),
      fetch: services.connectors.fetch,
      now: () => services.clock.now(),
      // Every network's secret is its credentials as JSON, so a renewed session replaces it as is.
      saveCredentials: (credentials) => services.secrets.set(secretRef, JSON.stringify(credentials)),
      ...(signal ? { signal } : {}),
    },
  };
}
