import { create } from 'zustand';
import type { Account, Args, ConnectResult, KeychainStatus, PendingSignIn } from '../../../../main/core/contract';
import type { OutpostError, Result } from '../../../../main/core/errors';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';

interface AccountsState {
  /** The project the list belongs to; a reply for another project is dropped. */
  projectId: string | null;
  accounts: Account[];
  loaded: boolean;
  loadError: OutpostError | null;
  /** Whether the system keychain works (app.info); null until asked. Without it nothing can be connected. */
  keychain: KeychainStatus | null;
  load(projectId: string): Promise<void>;
  /** Asks main again whether the keychain works (after the user started or unlocked it). */
  checkKeychain(): Promise<void>;
  connect(input: Args<'accounts.connect'>): Promise<Result<ConnectResult>>;
  /** VK, OK: signs in and lists the communities to choose from; nothing is saved yet. */
  signIn(input: Args<'accounts.signIn'>): Promise<Result<PendingSignIn>>;
  connectCommunities(input: Args<'accounts.connectCommunities'>): Promise<Result<ConnectResult[]>>;
  reconnect(input: Args<'accounts.reconnect'>): Promise<Result<Account>>;
  cancelSignIn(): Promise<void>;
  disconnect(id: string): Promise<Result<Account>>;
  updateDefaults(input: Args<'accounts.updateDefaults'>): Promise<Result<Account>>;
}

export const useAccounts = create<AccountsState>((set, get) => {
  const refresh = async () => {
    const projectId = get().projectId;
    if (!projectId) return;
    const result = await invoke('accounts.list', { projectId });
    if (get().projectId !== projectId) return;
    if (result.ok) set({ accounts: result.value, loaded: true, loadError: null });
    else set({ loaded: true, loadError: result.error });
  };

  const refreshAfter = async <T>(result: Result<T>): Promise<Result<T>> => {
    if (result.ok) await refresh();
    return result;
  };

  return {
    projectId: null,
    accounts: [],
    loaded: false,
    loadError: null,
    keychain: null,

    checkKeychain: async () => {
      const info = await invoke('app.info', {});
      // Without an answer the page says nothing up front; connecting still refuses in words.
      if (info.ok) set({ keychain: info.value.keychain });
    },

    load: async (projectId) => {
      if (get().projectId !== projectId) set({ projectId, accounts: [], loaded: false, loadError: null });
      await refresh();
    },

    connect: async (input) => refreshAfter(await invoke('accounts.connect', input)),
    signIn: (input) => invoke('accounts.signIn', input),
    connectCommunities: async (input) => refreshAfter(await invoke('accounts.connectCommunities', input)),
    reconnect: async (input) => refreshAfter(await invoke('accounts.reconnect', input)),
    cancelSignIn: async () => {
      await invoke('accounts.cancelSignIn', {});
    },
    disconnect: async (id) => refreshAfter(await invoke('accounts.disconnect', { id })),
    updateDefaults: async (input) => refreshAfter(await invoke('accounts.updateDefaults', input)),
  };
});

/** Keeps the list of the shown project fresh while mounted (another window or the scheduler may change it). */
export function watchAccounts(): () => void {
  return subscribe('accounts.changed', ({ projectId }) => {
    if (useAccounts.getState().projectId === projectId) unawaited(useAccounts.getState().load(projectId), 'load');
  });
}
