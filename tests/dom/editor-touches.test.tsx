import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Post } from '../../main/core/contract';
import { blankDesign } from '../../main/core/editor/design';
import { openInEditor, useEditor } from '../../renderer/src/features/editor/editor-store';
import { newText } from '../../renderer/src/features/editor/model/layers';
import { BackToPost } from '../../renderer/src/features/editor/ui/BackToPost';
import { LayersPanel } from '../../renderer/src/features/editor/ui/LayersPanel';
import { useNavigation } from '../../renderer/src/features/navigation/navigation-store';
import { useOpenPost } from '../../renderer/src/features/post/open-post-store';
import { initI18n } from '../../renderer/src/i18n/i18n';

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  useEditor.setState({ pending: null, returnTo: null });
  useOpenPost.setState({ post: { id: 'post-7', projectId: 'p1', targets: [] } as unknown as Post, draft: { body: 'Challah Friday', media: [], targets: [] } as never });
});

afterEach(() => {
  cleanup();
  useOpenPost.setState({ post: null, draft: null });
});

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('Back to the post', () => {
  it('is offered when the editor was opened from the composer, and returns to that post', () => {
    useNavigation.getState().go('compose');
    openInEditor('m1', 'm1');
    expect(useEditor.getState().returnTo).toBe('post-7');
    expect(useNavigation.getState().page).toBe('editor');
    wrap(<BackToPost />);
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Back to the post' }));
    });
    expect(useNavigation.getState().page).toBe('compose');
  });

  it('is not offered when the editor was opened from the Media page', () => {
    useNavigation.getState().go('media');
    openInEditor('m1');
    expect(useEditor.getState().returnTo).toBeNull();
    wrap(<BackToPost />);
    expect(screen.queryByRole('button', { name: 'Back to the post' })).toBeNull();
  });
});

describe('layer names', () => {
  it("keep the user's words in their own direction, apart from the layer's kind, so a Hebrew line is cut at its end", () => {
    const design = blankDesign(1080, 1080);
    const hebrew = { ...newText(design, 't1', 'חלות טריות כל בוקר, אפויות באהבה במאפייה השכונתית שלנו 🥖'), name: '' };
    const named = { ...newText(design, 't2', 'x'), name: 'כותרת ראשית של הפוסט השבועי' };
    useEditor.setState({ design: { ...design, layers: [hebrew, named] }, selection: [] });
    wrap(<LayersPanel />);
    const words = [...document.querySelectorAll('.editor-layer-words')];
    expect(words.map((w) => [w.getAttribute('dir'), w.textContent])).toEqual([
      ['auto', 'כותרת ראשית של הפוסט השבועי'],
      ['auto', 'חלות טריות כל בוקר, אפויות באהבה במאפייה השכונתית שלנו 🥖'],
    ]);
    expect(document.querySelector('.editor-layer-kind')?.textContent).toBe('Text: ');
  });
});

describe('a Hebrew line ending with an emoji', () => {
  it('takes the emoji to the next line with its word, never alone', async () => {
    // jsdom draws nothing: a fixed-pitch stand-in for measureText (10 px a character, 20 an emoji) is enough to wrap by.
    const measure = (text: string) => ({ width: [...text].reduce((w, c) => w + (/\p{Extended_Pictographic}/u.test(c) ? 20 : 10), 0) });
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function () {
      return new Proxy({ measureText: measure } as object, { get: (target, key) => (key in target ? target[key as keyof typeof target] : () => {}) });
    } as never;
    try {
      const { PaddedTextbox } = await import('../../renderer/src/features/editor/scene/objects');
      const { Textbox } = await import('fabric');
      // At fabric's measuring size (400 px) "שבת שלום" is 80 px wide, and 110 with " 🕯": a 100 px box wraps there.
      const options = { width: 100, fontSize: 400, direction: 'rtl' as const, splitByGrapheme: false };
      expect(new Textbox('שבת שלום 🕯', options).textLines).toEqual(['שבת שלום', '🕯']);
      expect(new PaddedTextbox('שבת שלום 🕯', options).textLines).toEqual(['שבת', 'שלום 🕯']);
      expect(new PaddedTextbox('שבת שלום לכולם', options).textLines).toEqual(['שבת שלום', 'לכולם']);
    } finally {
      HTMLCanvasElement.prototype.getContext = getContext;
    }
  });
});
