import { create } from 'zustand';
import type { Args, Project } from '../../../../main/core/contract';
import type { OutpostError, Result } from '../../../../main/core/errors';
import { invoke } from '../../platform/api';

interface ProjectsState {
  projects: Project[];
  showArchived: boolean;
  activeId: string | null;
  loaded: boolean;
  loadError: OutpostError | null;
  load(): Promise<void>;
  /** Re-reads the list (a project changed elsewhere), keeping the selection. */
  refresh(): Promise<void>;
  setShowArchived(show: boolean): Promise<void>;
  select(id: string | null): Promise<void>;
  create(input: Args<'projects.create'>): Promise<Result<Project>>;
  update(input: Args<'projects.update'>): Promise<Result<Project>>;
  setArchived(id: string, archived: boolean): Promise<Result<Project>>;
}

function firstActive(projects: Project[]): string | null {
  return projects.find((p) => !p.archived)?.id ?? projects[0]?.id ?? null;
}

export const useProjects = create<ProjectsState>((set, get) => {
  const refresh = async () => {
    const result = await invoke('projects.list', { includeArchived: get().showArchived });
    if (!result.ok) {
      set({ loadError: result.error, loaded: true });
      return;
    }
    const projects = result.value;
    const activeId = get().activeId;
    set({
      projects,
      loaded: true,
      loadError: null,
      activeId: activeId && projects.some((p) => p.id === activeId) ? activeId : firstActive(projects),
    });
  };

  const persistActive = (id: string | null) => invoke('settings.update', { activeProjectId: id });

  return {
    projects: [],
    showArchived: false,
    activeId: null,
    loaded: false,
    loadError: null,

    load: async () => {
      const settings = await invoke('settings.get', {});
      if (settings.ok) set({ activeId: settings.value.activeProjectId });
      await refresh();
    },

    refresh,

    setShowArchived: async (show) => {
      set({ showArchived: show });
      await refresh();
    },

    select: async (id) => {
      set({ activeId: id });
      await persistActive(id);
    },

    create: async (input) => {
      const result = await invoke('projects.create', input);
      if (result.ok) {
        set({ activeId: result.value.id });
        await Promise.all([refresh(), persistActive(result.value.id)]);
      }
      return result;
    },

    update: async (input) => {
      const result = await invoke('projects.update', input);
      if (result.ok) await refresh();
      return result;
    },

    setArchived: async (id, archived) => {
      const result = await invoke('projects.archive', { id, archived });
      if (result.ok) {
        await refresh();
        if (archived && get().activeId === id && !get().showArchived) {
          const next = firstActive(get().projects);
          set({ activeId: next });
          await persistActive(next);
        }
      }
      return result;
    },
  };
});

export function useActiveProject(): Project | undefined {
  return useProjects((s) => s.projects.find((p) => p.id === s.activeId));
}
