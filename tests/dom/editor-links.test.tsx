import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PostMediaItem, PostProblem } from '../../main/core/contract/posts';
import { MediaPanel } from '../../renderer/src/features/compose/MediaPanel';
import { useEditor } from '../../renderer/src/features/editor/editor-store';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { initI18n } from '../../renderer/src/i18n/i18n';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  useEditor.setState({ pending: null });
  useNavigation.getState().go('compose');
});

afterEach(cleanup);

const item = (mediaId: string, fileName: string, mime: string): PostMediaItem => ({
  mediaId, mime, bytes: 1000, width: 1000, height: 500, durationMs: null, fileName, altText: '',
});

const facts = {
  m1: item('m1', 'wide.jpg', 'image/jpeg'),
  m2: item('m2', 'tall.png', 'image/png'),
  v1: item('v1', 'clip.mp4', 'video/mp4'),
};

function renderPanel(ids: string[], problems: PostProblem[] = []) {
  render(
    <I18nextProvider i18n={i18n}>
      <MediaPanel title="Images and video for Instagram" ids={ids} facts={facts} problems={problems} onChange={() => {}} onAttach={() => {}} />
    </I18nextProvider>,
  );
}

describe('the composer’s media tiles open the editor', () => {
  it('Edit opens that image to replace itself on the post, on the Editor page; a video has no Edit', () => {
    renderPanel(['m1', 'm2', 'v1']);
    expect(screen.queryByRole('button', { name: 'Edit clip.mp4 in the editor' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Edit tall.png in the editor' }));
    });
    expect(useEditor.getState().pending).toEqual({ mediaId: 'm2', replaces: 'm2' });
    expect(useNavigation.getState().page).toBe('editor');
  });

  it('a crop or resize fix offers the editor next to the message; other fixes do not', () => {
    const problem = (code: string, fix: string): PostProblem => ({ code, severity: 'error', network: 'instagram', mediaId: 'm1', params: { fix } });
    renderPanel(['m1'], [problem('aspect_ratio', 'crop'), problem('image_too_large', 'compress')]);
    expect(screen.queryByRole('button', { name: 'Resize in the editor' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Crop in the editor' }));
    });
    expect(useEditor.getState().pending).toEqual({ mediaId: 'm1', replaces: 'm1' });
    expect(useNavigation.getState().page).toBe('editor');
  });
});
