import { useEffect } from 'react';
import { create } from 'zustand';
import type { ProjectRelay, RelayKind } from '../../../../main/core/contract';
import { invoke, subscribe } from '../../platform/api';
import { unawaited } from '../../platform/unawaited';
import { useNavigation } from '../navigation/navigation-store';

/** Each project's media relay as main has it, for Settings and for the composer's readiness check. */
interface RelayState {
  relays: Record<string, ProjectRelay>;
  load(projectId: string): Promise<void>;
  set(relay: ProjectRelay): void;
  /** The composer's link asked Settings to show the relay section. */
  focusRequested: boolean;
}

export const useRelays = create<RelayState>((set) => ({
  relays: {},
  focusRequested: false,
  async load(projectId) {
    const result = await invoke('relay.get', { projectId });
    if (result.ok) set((s) => ({ relays: { ...s.relays, [projectId]: result.value } }));
  },
  set(relay) {
    set((s) => ({ relays: { ...s.relays, [relay.projectId]: relay } }));
  },
}));

/** The project's relay kind; undefined until main has said (the composer then leaves the check to main). */
export function useRelayKind(projectId: string | undefined): RelayKind | undefined {
  const kind = useRelays((s) => (projectId ? s.relays[projectId]?.kind : undefined));
  useEffect(() => {
    if (!projectId) return;
    unawaited(useRelays.getState().load(projectId), 'Loading the media relay');
    return subscribe('relay.changed', (change) => {
      if (change.projectId === projectId) unawaited(useRelays.getState().load(projectId), 'Loading the media relay');
    });
  }, [projectId]);
  return kind;
}

/** Opens Settings at the Media relay section (the composer's link under a blocked post). */
export function openRelaySettings(): void {
  useRelays.setState({ focusRequested: true });
  useNavigation.getState().go('settings');
}
