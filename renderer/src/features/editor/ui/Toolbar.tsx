import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Tool } from '../scene/scene';
import { useEditor } from '../editor-store';
import { canRedo, canUndo } from '../model/history';
import { ariaShortcut, shortcutLabel, type ActionType, type Platform } from '../model/shortcuts';
import { Icon, type IconName } from './icons';
import { LogoDialog } from './LogoDialog';
import { StickerMenu } from './StickerMenu';

interface ButtonProps {
  label: string;
  icon: ReactNode;
  onClick(): void;
  disabled?: boolean;
  pressed?: boolean;
  shortcut?: ActionType;
  platform: Platform;
}

/** An icon button whose accessible name is its label, and whose tooltip names the OS's own shortcut. */
export function ToolButton({ label, icon, onClick, disabled, pressed, shortcut, platform }: ButtonProps) {
  const keys = shortcut ? shortcutLabel(shortcut, platform) : undefined;
  return (
    <button
      type="button"
      className="editor-tool"
      aria-label={label}
      title={keys ? `${label} (${keys})` : label}
      aria-pressed={pressed}
      aria-keyshortcuts={shortcut ? ariaShortcut(shortcut, platform) : undefined}
      disabled={disabled}
      onClick={onClick}
    >
      {icon}
    </button>
  );
}

const toolIcons: Record<Tool, IconName> = {
  select: 'select',
  hand: 'hand',
  crop: 'crop',
  text: 'text',
  rect: 'rect',
  ellipse: 'ellipse',
  line: 'line',
  arrow: 'arrow',
};

export function Toolbar({ platform, onExport, onTemplate, onResize, onClose }: { platform: Platform; onExport(): void; onTemplate(): void; onResize(): void; onClose(): void }) {
  const { t } = useTranslation();
  const history = useEditor((s) => s.history);
  const tool = useEditor((s) => s.tool);
  const hasPhoto = useEditor((s) => Boolean(s.design?.photo));
  const [logo, setLogo] = useState(false);
  const store = useEditor.getState;
  const pick = (next: Tool) => store().setTool(tool === next && next !== 'select' ? 'select' : next);

  return (
    <div className="editor-toolbar" role="toolbar" aria-label={t('editor.toolbar.label')}>
      <div className="editor-tool-group">
        <ToolButton platform={platform} label={t('editor.toolbar.close')} icon={<Icon name="close" />} onClick={onClose} />
      </div>
      <div className="editor-tool-group" role="group" aria-label={t('editor.toolbar.history')}>
        <ToolButton platform={platform} label={t('editor.toolbar.undo')} icon={<Icon name="undo" />} shortcut="undo" disabled={!history || !canUndo(history)} onClick={() => store().undo()} />
        <ToolButton platform={platform} label={t('editor.toolbar.redo')} icon={<Icon name="redo" />} shortcut="redo" disabled={!history || !canRedo(history)} onClick={() => store().redo()} />
      </div>
      <div className="editor-tool-group" role="group" aria-label={t('editor.toolbar.tools')}>
        {(['select', 'hand', 'crop', 'text', 'rect', 'ellipse', 'line', 'arrow'] as const).map((name) => (
          <ToolButton key={name} platform={platform} label={t(`editor.tools.${name}`)} icon={<Icon name={toolIcons[name]} />} pressed={tool === name} onClick={() => pick(name)} />
        ))}
        <StickerMenu />
        <ToolButton platform={platform} label={t('editor.toolbar.logo')} icon={<Icon name="image" />} onClick={() => setLogo(true)} />
      </div>
      <div className="editor-tool-group" role="group" aria-label={t('editor.toolbar.transform')}>
        <ToolButton platform={platform} label={t('editor.toolbar.rotateLeft')} icon={<Icon name="rotateLeft" />} onClick={() => store().rotate('ccw')} />
        <ToolButton platform={platform} label={t('editor.toolbar.rotateRight')} icon={<Icon name="rotateRight" />} onClick={() => store().rotate('cw')} />
        <ToolButton platform={platform} label={t('editor.toolbar.flipHorizontal')} icon={<Icon name="flipHorizontal" />} disabled={!hasPhoto} onClick={() => store().flip('horizontal')} />
        <ToolButton platform={platform} label={t('editor.toolbar.flipVertical')} icon={<Icon name="flipVertical" />} disabled={!hasPhoto} onClick={() => store().flip('vertical')} />
        <ToolButton platform={platform} label={t('editor.toolbar.resize')} icon={<Icon name="resize" />} onClick={onResize} />
      </div>
      <span className="spacer" />
      <div className="editor-tool-group">
        <ToolButton platform={platform} label={t('editor.toolbar.saveTemplate')} icon={<Icon name="template" />} onClick={onTemplate} />
        <button type="button" className="button primary" onClick={onExport}>
          {t('editor.toolbar.export')}
        </button>
      </div>
      {logo ? <LogoDialog onClose={() => setLogo(false)} /> : null}
    </div>
  );
}

/** Zoom controls float over the canvas's corner, as in most design tools, leaving the toolbar one row. */
export function ZoomBar({ platform }: { platform: Platform }) {
  const { t } = useTranslation();
  const zoom = useEditor((s) => s.zoom);
  const scene = useEditor((s) => s.scene);
  return (
    <div className="editor-zoombar" role="group" aria-label={t('editor.toolbar.view')}>
      <ToolButton platform={platform} label={t('editor.toolbar.zoomOut')} icon={<Icon name="zoomOut" />} shortcut="zoomOut" onClick={() => scene?.zoomBy(1 / 1.25)} />
      <output className="editor-zoom" aria-label={t('editor.toolbar.zoomLevel')}>
        {t('editor.toolbar.percent', { value: Math.round(zoom * 100) })}
      </output>
      <ToolButton platform={platform} label={t('editor.toolbar.zoomIn')} icon={<Icon name="zoomIn" />} shortcut="zoomIn" onClick={() => scene?.zoomBy(1.25)} />
      <ToolButton platform={platform} label={t('editor.toolbar.fit')} icon={<Icon name="fit" />} shortcut="zoomFit" onClick={() => scene?.fit()} />
    </div>
  );
}
