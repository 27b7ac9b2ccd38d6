import { cleanup, render, screen, within } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PostMediaItem } from '../../main/core/contract';
import { DiscordPreview } from '../../renderer/src/features/compose/DiscordPreview';
import { initI18n } from '../../renderer/src/i18n/i18n';

/** A webhook message as Discord draws it, from what the Discord connector will send. */

let i18n: i18n;

beforeAll(async () => {
  i18n = await initI18n('en');
});

afterEach(cleanup);

const photo = (n: number): PostMediaItem => ({ mediaId: `m${n}`, mime: 'image/png', bytes: 1000, width: 800, height: 600, durationMs: null, fileName: `p${n}.png`, altText: '' });
const renderEn = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('Discord message preview', () => {
  it('shows the name the webhook posts under with Discord’s APP tag, the time and the whole text', () => {
    const text = 'Weekend offer: two for one. '.repeat(60);
    renderEn(<DiscordPreview displayName="Corner Bakery" handle="discord.com/channels/1/2" text={text} media={[]} when="Sat 6 Dec, 09:00" />);
    const message = screen.getByRole('article', { name: 'Preview on Discord discord.com/channels/1/2' });
    expect(within(message).getByText('APP')).toBeTruthy();
    expect(message.textContent).toContain('Corner Bakery');
    expect(message.textContent).toContain('Sat 6 Dec, 09:00');
    // Discord never folds a message: the whole text shows.
    expect(message.textContent).toContain(text.trim());
  });

  it('lays files out as Discord does, and unfurls the first link only when there are none', () => {
    const across = (count: number) => {
      renderEn(<DiscordPreview displayName="Bakery" handle="h" text="Photos" media={Array.from({ length: count }, (_, i) => photo(i))} when={null} />);
      const grid = screen.getByRole('group');
      const shape = { columns: grid.style.gridTemplateColumns, files: grid.children.length };
      cleanup();
      return shape;
    };
    expect(across(1)).toEqual({ columns: 'repeat(1, 1fr)', files: 1 });
    expect(across(2)).toEqual({ columns: 'repeat(2, 1fr)', files: 2 });
    expect(across(3)).toEqual({ columns: 'repeat(3, 1fr)', files: 3 });
    expect(across(4)).toEqual({ columns: 'repeat(2, 1fr)', files: 4 });

    renderEn(<DiscordPreview displayName="Bakery" handle="h" text="Menu: https://bakery.example/menu" media={[]} when={null} />);
    expect(screen.getByRole('article').querySelector('.discord-embed')?.textContent).toContain('bakery.example');
    cleanup();
    renderEn(<DiscordPreview displayName="Bakery" handle="h" text="Menu: https://bakery.example/menu" media={[photo(1)]} when={null} />);
    expect(screen.getByRole('article').querySelector('.discord-embed')).toBeNull();
  });
});
