import type { StateCreator } from 'zustand';
import type { Design } from '../../../../../main/core/editor/design';
import { cropBounds, cropDesign, flipDesign, resizeDesign, rotateDesign } from '../../../../../main/core/editor/geometry';
import { cropRatioValue } from '../../../../../main/core/editor/presets';
import { cropOff, stepCrop } from '../model/tools';
import type { Tool } from '../scene/scene';
import type { CropSlice, EditorState } from './types';

export const cropSlice: StateCreator<EditorState, [], [], CropSlice> = (set, get) => {
  const design = () => get().design as Design;
  return {
    tool: 'select',
    crop: cropOff,
    cropRatio: 'free',

    setTool: (tool) => {
      const d = get().design;
      if (!d) return;
      if (tool === 'crop') {
        const ratio = get().cropRatio;
        const value = cropRatioValue(ratio, { width: d.width, height: d.height });
        set({ tool, selection: [], crop: stepCrop(cropOff, { type: 'begin', bounds: cropBounds(d), box: { x: 0, y: 0, width: d.width, height: d.height }, ratio: value }).state });
      } else set({ tool, crop: cropOff });
    },

    setCropRatio: (ratio) => {
      const d = get().design;
      set({ cropRatio: ratio });
      if (!d || get().crop.mode === 'off') return;
      const photo = d.photo;
      const original = photo ? (photo.rotation % 180 ? { width: photo.height, height: photo.width } : photo) : d;
      set({ crop: stepCrop(get().crop, { type: 'ratio', ratio: cropRatioValue(ratio, original) }).state });
    },

    cropEvent: (event) => {
      if (event.type === 'apply') return get().applyCrop();
      const step = stepCrop(get().crop, event);
      set({ crop: step.state, ...(step.state.mode === 'off' ? { tool: 'select' as Tool } : {}) });
    },

    applyCrop: () => {
      const step = stepCrop(get().crop, { type: 'apply' });
      set({ crop: step.state, tool: 'select' });
      if (step.applied) {
        get().commit(cropDesign(design(), step.applied));
        get().announce('editor.announce.cropped', { width: design().width, height: design().height });
        get().scene?.fit();
      }
    },

    rotate: (direction) => {
      get().commit(rotateDesign(design(), direction));
      get().scene?.fit();
    },

    flip: (axis) => get().commit(flipDesign(design(), axis)),

    resize: (width, height) => {
      get().commit(resizeDesign(design(), width, height));
      get().scene?.fit();
    },
  };
};
