import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Page } from '../../ui/Page';
import { useEditor } from './editor-store';
import { registerFonts } from './fonts';
import { loadStickers } from './stickers';
import { StartScreen } from './ui/StartScreen';
import { Workspace } from './ui/Workspace';
import './editor.css';
import { unawaited } from '../../platform/unawaited';

/** The image editor: open a photo or a blank canvas, edit it, export it into the library and onto the post. */
export function EditorPage() {
  const { t } = useTranslation();
  const phase = useEditor((s) => s.phase);

  useEffect(() => {
    registerFonts();
    unawaited(loadStickers(), 'loadStickers');
    const pending = useEditor.getState().pending;
    if (pending) {
      useEditor.setState({ pending: null });
      unawaited(useEditor.getState().openMedia(pending.mediaId, { replaces: pending.replaces }), 'openMedia');
    }
  }, []);

  return (
    <Page title={t('pages.editor.title')}>
      {phase === 'start' ? <StartScreen /> : null}
      {phase === 'loading' ? (
        <p className="loading" role="status">
          {t('editor.opening')}
        </p>
      ) : null}
      {phase === 'ready' ? <Workspace /> : null}
    </Page>
  );
}
