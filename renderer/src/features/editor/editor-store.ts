import { create } from 'zustand';
import { useNavigation } from '../navigation/navigation-store';
import { useOpenPost } from '../post/open-post-store';
import { unawaited } from '../../platform/unawaited';
import { composedPost } from './post-link';
import { cropSlice } from './store/crop';
import { documentSlice } from './store/document';
import { exportSlice } from './store/exporting';
import { selectionSlice } from './store/selection';
import type { EditorState } from './store/types';

export { PREVIEW_EDGE } from './store/document';
export { limitsFor, shapeWarnings } from './store/exporting';
export type { EditorState, ExportResult, ExportSettings, Notice, Problem, SceneApi } from './store/types';

/**
 * The image editor's store: one zustand store made of slices by responsibility (document and
 * history, selection, crop, export; each in store/), plus the view state kept here.
 */
export const useEditor = create<EditorState>()((set, get, store) => ({
  ...documentSlice(set, get, store),
  ...selectionSlice(set, get, store),
  ...cropSlice(set, get, store),
  ...exportSlice(set, get, store),

  zoom: 1,
  announcement: null,
  scene: null,
  pending: null,
  returnTo: null,
  backToPost: () => {
    const postId = get().returnTo;
    if (!postId) return;
    // Usually still the open post (opening it again is then nothing); the design stays open here.
    unawaited(useOpenPost.getState().open(postId), 'Opening the post again');
    useNavigation.getState().go('compose');
  },
  setZoom: (zoom) => {
    if (Math.abs(zoom - get().zoom) > 1e-6) set({ zoom });
  },
  setScene: (scene) => set({ scene }),
  announce: (key, params) => set({ announcement: { key, ...(params ? { params } : {}), at: Date.now() } }),
}));

/** Opens a library image in the editor from any page (the composer's "Edit", the library). */
export function openInEditor(mediaId: string, replaces: string | null = null): void {
  const fromPost = useNavigation.getState().page === 'compose' ? (composedPost()?.postId ?? null) : null;
  useEditor.setState({ pending: { mediaId, replaces }, returnTo: fromPost });
  useNavigation.getState().go('editor');
}
