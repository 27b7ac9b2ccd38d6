import type { StateCreator } from 'zustand';
import type { Design } from '../../../../../main/core/editor/design';
import { combineLimits, fitFormat, shapeProblems, type ExportMime, type FitLimits } from '../../../../../main/core/editor/fit';
import type { NetworkId } from '../../../../../main/core/networks/ids';
import { networkRules, type NetworkRules } from '../../../../../main/core/networks/rules';
import { connectApi, invoke } from '../../../platform/api';
import type { ExportOutcome } from '../export';
import { blobToBase64 } from '../image-io';
import { neededScale } from '../photo-render';
import { attachToPost, composedPost } from '../post-link';
import { problemOf } from './document';
import type { EditorState, ExportResult, ExportSlice } from './types';

const extension: Record<ExportMime, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** The networks' combined limits for a list of networks (the post's, or chosen in the dialog). */
export function limitsFor(networks: readonly NetworkId[]): FitLimits {
  const post = composedPost();
  const rules: NetworkRules[] = networks.map((n) => post?.rules.find((r) => r.network === n) ?? networkRules[n]);
  return combineLimits(rules);
}

/** The problems a design's shape has for a set of networks (only a crop fixes them). */
export function shapeWarnings(design: Design, networks: readonly NetworkId[]) {
  return shapeProblems(design.width, design.height, limitsFor(networks));
}

export const exportSlice: StateCreator<EditorState, [], [], ExportSlice> = (set, get) => ({
  exporting: false,
  exportProgress: null,
  lastExport: null,

    exportImage: async (settings) => {
      const d = get().design;
      const doc = get().doc;
      if (!d || !doc || get().exporting) return null;
      set({ exporting: true, exportProgress: 'rendering', problem: null });
      const started = performance.now();
      try {
        let pixels = get().pixels;
        if (d.photo && pixels && pixels.scale < neededScale(d, settings.width) * 0.999) {
          set({ exportProgress: 'loading' });
          pixels = (await get().loadFull()) ?? pixels;
        }
        let mime = settings.mime;
        let limits: FitLimits | null = null;
        if (settings.fitNetworks) {
          limits = limitsFor(settings.fitNetworks);
          mime = fitFormat(mime, limits) ?? mime;
        }
        set({ exportProgress: 'rendering' });
        // fabric loads with the editor, not with the app: the calendar opens without parsing it.
        const { exportDesign } = await import('../export');
        const outcome: ExportOutcome = await exportDesign({
          design: d,
          width: settings.width,
          height: settings.height,
          mime,
          quality: settings.quality,
          limits,
          pixels,
          images: get().images,
        });
        performance.measure('editor.export', { start: started, end: performance.now() });
        set({ exportProgress: 'saving' });
        const fileName = `${doc.baseName}-edited.${extension[mime]}`;
        const api = connectApi();
        let file: { data: string } | { uploadId: string };
        if (api.upload) {
          const uploaded = await api.upload(new File([outcome.blob], fileName, { type: mime }));
          if (!uploaded.ok) throw Object.assign(new Error(uploaded.error.message), { outpost: uploaded.error });
          file = { uploadId: uploaded.value.uploadId };
        } else file = { data: await blobToBase64(outcome.blob) };
        const saved = await invoke('editor.export', { file, mime, fileName, design: d, parentMediaId: d.photo?.mediaId ?? null });
        if (!saved.ok) throw Object.assign(new Error(saved.error.message), { outpost: saved.error });
        let attached = false;
        const post = composedPost();
        if (settings.attachToPost && post) attached = await attachToPost(post.postId, saved.value.media, doc.replaces ?? doc.media?.id ?? null);
        const result: ExportResult = {
          media: saved.value.media,
          width: outcome.width,
          height: outcome.height,
          bytes: outcome.blob.size,
          mime,
          quality: outcome.quality,
          attached,
          duplicate: saved.value.duplicate,
        };
        set({ exporting: false, exportProgress: null, lastExport: result });
        get().announce(attached ? 'editor.announce.exportedAttached' : 'editor.announce.exported', { name: saved.value.media.fileName });
        return result;
      } catch (error) {
        set({ exporting: false, exportProgress: null, problem: problemOf(error) });
        return null;
      }
    },

    saveTemplate: async (name, id) => {
      const d = get().design;
      if (!d) return null;
      const saved = await invoke('editor.saveTemplate', { name, design: d, ...(id ? { id } : {}) });
      if (!saved.ok) {
        set({ problem: { reason: saved.error.reason ?? saved.error.code, error: saved.error } });
        return null;
      }
      get().announce('editor.announce.templateSaved', { name: saved.value.name });
      return saved.value;
    },
});
