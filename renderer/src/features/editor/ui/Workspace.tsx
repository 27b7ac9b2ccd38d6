import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useEditor, type Notice } from '../editor-store';
import { detectPlatform, shortcutFor } from '../model/shortcuts';
import { CanvasView } from './CanvasView';
import { CropPanel } from './CropPanel';
import { ExportDialog } from './ExportDialog';
import { FiltersPanel } from './FiltersPanel';
import { LayersPanel } from './LayersPanel';
import { ProblemAlert } from './ProblemText';
import { PropertiesPanel } from './PropertiesPanel';
import { ResizeDialog } from './ResizeDialog';
import { SaveTemplateDialog } from './SaveTemplateDialog';
import { Toolbar, ZoomBar } from './Toolbar';
import { BackToPost } from './BackToPost';

/** Tools that act on a click or drag on the canvas, which the stage says while they are in hand. */
const hintedTools = ['text', 'rect', 'ellipse', 'line', 'arrow'] as const;
type HintedTool = (typeof hintedTools)[number];
const isHinted = (tool: string): tool is HintedTool => (hintedTools as readonly string[]).includes(tool);

/** Keys typed into a field belong to the field, not to the canvas. */
function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName === 'INPUT') return !['checkbox', 'radio', 'button', 'range', 'color'].includes((el as HTMLInputElement).type);
  return false;
}

function NoticeLine({ notice }: { notice: Notice }) {
  const { t } = useTranslation();
  return (
    <p className="notice" role="status">
      {notice.kind === 'working_copy'
        ? t('editor.notices.working_copy', {
            width: notice.width,
            height: notice.height,
            megapixels: Math.round((notice.width * notice.height) / 1e6),
            copyWidth: notice.copyWidth,
            copyHeight: notice.copyHeight,
          })
        : notice.kind === 'migrated'
          ? t('editor.notices.migrated', { version: notice.from })
          : t(`editor.notices.${notice.kind}`)}
    </p>
  );
}

export function Workspace() {
  const { t } = useTranslation();
  const notices = useEditor((s) => s.notices);
  const problem = useEditor((s) => s.problem);
  const cropping = useEditor((s) => s.crop.mode === 'framing');
  const announcement = useEditor((s) => s.announcement);
  const fullState = useEditor((s) => s.fullState);
  const tool = useEditor((s) => s.tool);
  const [dialog, setDialog] = useState<'export' | 'template' | 'resize' | null>(null);
  const platform = useMemo(() => detectPlatform(navigator as Navigator & { userAgentData?: { platform?: string } }), []);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (dialog || isTyping(event.target)) return;
      const store = useEditor.getState();
      if (store.scene?.isEditingText()) return;
      // Space held pans, as in most design tools; on a button it still presses the button.
      if (event.key === ' ' && (event.target as HTMLElement | null)?.tagName !== 'BUTTON') {
        event.preventDefault();
        if (!event.repeat) store.scene?.setSpaceHeld(true);
        return;
      }
      const action = shortcutFor(event, platform);
      if (!action) return;
      // Only while the editor has the page: shortcuts never reach past an open dialog or another page.
      if (!root.current?.isConnected) return;
      event.preventDefault();
      switch (action.type) {
        case 'undo':
          return store.undo();
        case 'redo':
          return store.redo();
        case 'delete':
          return store.deleteSelection();
        case 'copy':
          return store.copy();
        case 'cut':
          return store.cut();
        case 'paste':
          return store.paste();
        case 'duplicate':
          return store.duplicate();
        case 'selectAll':
          return store.select(store.design?.layers.filter((l) => !l.locked && !l.hidden).map((l) => l.id) ?? []);
        case 'deselect':
          if (store.crop.mode === 'framing') return store.cropEvent({ type: 'cancel' });
          store.scene?.cancelGesture();
          if (store.tool !== 'select') return store.setTool('select');
          return store.select([]);
        case 'nudge':
          return store.nudge(action.dx, action.dy);
        case 'zoomIn':
          return store.scene?.zoomBy(1.25);
        case 'zoomOut':
          return store.scene?.zoomBy(1 / 1.25);
        case 'zoomFit':
          return store.scene?.fit();
        case 'zoomActual':
          return store.scene?.zoomTo(1);
      }
    };
    const onKeyUp = (event: KeyboardEvent) => {
      if (event.key === ' ') useEditor.getState().scene?.setSpaceHeld(false);
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('keyup', onKeyUp);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('keyup', onKeyUp);
    };
  }, [dialog, platform]);

  return (
    <div ref={root} className="editor-workspace">
      <BackToPost />
      <Toolbar
        platform={platform}
        onExport={() => setDialog('export')}
        onTemplate={() => setDialog('template')}
        onResize={() => setDialog('resize')}
        onClose={() => useEditor.getState().close()}
      />
      {notices.map((n, i) => (
        <NoticeLine key={`${n.kind}-${i}`} notice={n} />
      ))}
      {problem && !dialog ? <ProblemAlert problem={problem} onDismiss={() => useEditor.getState().dismissProblem()} /> : null}
      <div className="editor-main">
        <div className="editor-stage">
          <CanvasView />
          <ZoomBar platform={platform} />
          {/* A live region that stays in place, so choosing a tool reads its hint out. */}
          <p className="editor-tool-hint" role="status" dir="auto" hidden={!isHinted(tool)}>
            {isHinted(tool) ? t(`editor.toolHints.${tool}`) : ''}
          </p>
          {fullState === 'loading' ? (
            <p className="editor-stage-status hint" role="status">
              {t('editor.loadingFull')}
            </p>
          ) : null}
        </div>
        <aside className="editor-side" aria-label={t('editor.sideLabel')}>
          {cropping ? (
            <CropPanel />
          ) : (
            <>
              <PropertiesPanel />
              <FiltersPanel />
              <LayersPanel />
            </>
          )}
        </aside>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement ? t(announcement.key, announcement.params ?? {}) : ''}
      </p>
      {dialog === 'export' ? <ExportDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'template' ? <SaveTemplateDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'resize' ? <ResizeDialog onClose={() => setDialog(null)} /> : null}
    </div>
  );
}
