import { create } from 'zustand';

export const pages = ['calendar', 'compose', 'media', 'editor', 'results', 'accounts', 'settings'] as const;
export type Page = (typeof pages)[number];

function pageFromHash(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return (pages as readonly string[]).includes(name) ? (name as Page) : 'calendar';
}

interface NavigationState {
  page: Page;
  go(page: Page): void;
}

/** The current page lives in the URL hash, so a reload (or the host restarting) keeps it. */
export const useNavigation = create<NavigationState>((set) => {
  window.addEventListener('hashchange', () => set({ page: pageFromHash(window.location.hash) }));
  return {
    page: pageFromHash(window.location.hash),
    go: (page) => {
      if (window.location.hash !== `#/${page}`) window.location.hash = `#/${page}`;
      set({ page });
    },
  };
});
