import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { sameLayer } from '../scene/objects';
import { Scene, type SceneColors, type SceneInput } from '../scene/scene';
import { useEditor, type EditorState } from '../editor-store';

/** A theme colour as the canvas needs it: custom properties hold light-dark(…), which only CSS resolves. */
function resolveColor(host: HTMLElement, variable: string, fallback: string): string {
  const probe = document.createElement('span');
  probe.style.color = `var(${variable}, ${fallback})`;
  probe.style.display = 'none';
  host.appendChild(probe);
  const color = getComputedStyle(probe).color;
  probe.remove();
  return color || fallback;
}

function colorsFromTheme(element: HTMLElement): SceneColors {
  return {
    workspace: resolveColor(element, '--editor-workspace', '#e4e7ec'),
    mask: resolveColor(element, '--editor-mask', 'rgba(228, 231, 236, 0.82)'),
    guide: '#e11d74',
    accent: resolveColor(element, '--accent', '#2563eb'),
  };
}

const inputOf = (s: EditorState): SceneInput | null =>
  s.design ? { design: s.design, selection: s.selection, tool: s.tool, crop: s.crop, photo: s.pixels, images: s.images } : null;

/**
 * The fabric canvas, kept in step with the editor's store by a plain subscription (not React
 * renders), so an undo reaches the pixels in the same task that asked for it.
 */
export function CanvasView() {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const element = useRef<HTMLCanvasElement>(null);
  const design = useEditor((s) => s.design);
  const layerCount = design?.layers.length ?? 0;

  useEffect(() => {
    const container = host.current;
    const canvasEl = element.current;
    if (!container || !canvasEl) return;
    const store = useEditor;
    const scene = new Scene(
      canvasEl,
      {
        commit: (layers) => {
          const state = store.getState();
          const d = state.design;
          if (!d) return;
          const byId = new Map(layers.map((l) => [l.id, l]));
          const next = d.layers.map((l) => {
            const changed = byId.get(l.id);
            return changed && !sameLayer(changed, l) ? changed : l;
          });
          if (next.some((l, i) => l !== d.layers[i])) state.commit({ ...d, layers: next });
        },
        select: (ids) => store.getState().select(ids),
        textInput: (id, text) => {
          const state = store.getState();
          const d = state.design;
          if (!d) return;
          state.commit({ ...d, layers: d.layers.map((l) => (l.id === id && l.type === 'text' ? { ...l, text } : l)) }, { coalesce: `text:${id}` });
        },
        textDone: (id) => store.getState().textDone(id),
        draw: (tool, outcome) => store.getState().draw(tool, outcome),
        crop: (event) => store.getState().cropEvent(event),
        zoomChanged: (zoom) => store.getState().setZoom(zoom),
      },
      colorsFromTheme(container),
    );
    store.getState().setScene({
      fit: () => scene.fit(),
      zoomBy: (f) => scene.zoomBy(f),
      zoomTo: (z) => scene.zoomTo(z),
      renderNow: () => scene.renderNow(),
      editText: (id) => scene.editText(id),
      stopEditing: () => scene.stopEditing(),
      isEditingText: () => scene.isEditingText(),
      boundsOf: (ids) => scene.boundsOf(ids),
      cancelGesture: () => scene.cancelGesture(),
      setSpaceHeld: (held) => scene.setSpaceHeld(held),
    });

    let first = true;
    const apply = (state: EditorState, previous?: EditorState) => {
      const input = inputOf(state);
      if (!input) return;
      if (previous && previous.design === state.design && previous.selection === state.selection && previous.tool === state.tool && previous.crop === state.crop && previous.pixels === state.pixels && previous.images === state.images) return;
      scene.update(input);
      if (first) {
        first = false;
        scene.fit();
        scene.renderNow();
        store.getState().markRendered();
      }
    };
    const resize = new ResizeObserver(([entry]) => {
      if (entry) scene.resize(Math.floor(entry.contentRect.width), Math.floor(entry.contentRect.height));
    });
    const rect = container.getBoundingClientRect();
    scene.resize(Math.floor(rect.width), Math.floor(rect.height));
    apply(store.getState());
    const unsubscribe = store.subscribe(apply);
    resize.observe(container);
    // The theme can change while the editor is open (Settings, or the OS).
    const themeWatch = new MutationObserver(() => scene.setColors(colorsFromTheme(container)));
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    const onScheme = () => scene.setColors(colorsFromTheme(container));
    media.addEventListener('change', onScheme);
    return () => {
      unsubscribe();
      resize.disconnect();
      themeWatch.disconnect();
      media.removeEventListener('change', onScheme);
      store.getState().setScene(null);
      scene.dispose();
    };
  }, []);

  return (
    <div ref={host} className="editor-canvas-host">
      <canvas ref={element} role="img" aria-label={design ? t('editor.canvasLabel', { width: design.width, height: design.height, count: layerCount }) : ''} />
    </div>
  );
}
