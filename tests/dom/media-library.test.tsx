import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { i18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Media } from '../../main/core/contract';
import { DeleteMediaDialog } from '../../renderer/src/features/media/DeleteMediaDialog';
import { ImportReportView } from '../../renderer/src/features/media/ImportReportView';
import { initI18n } from '../../renderer/src/i18n/i18n';
import { setApiForTests } from '../../renderer/src/platform/api';
import { createFakeApi, type FakeApi } from './fake-api';

let i18n: i18n;
let api: FakeApi;

const photo: Media = {
  id: '0b8f3a51-1111-4222-8333-944455556666',
  kind: 'image',
  mime: 'image/jpeg',
  sha256: 'a'.repeat(64),
  bytes: 2_400_000,
  width: 4000,
  height: 3000,
  durationMs: null,
  fileName: 'Launch party.jpg',
  altText: '',
  createdAt: 1,
  usageCount: 0,
  projectId: null,
};

beforeAll(async () => {
  i18n = await initI18n('en');
});

beforeEach(() => {
  api = createFakeApi();
  setApiForTests(api);
});

afterEach(cleanup);

const wrap = (node: React.ReactNode) => render(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);

describe('deleting a file', () => {
  it('says how many posts use it and deletes from them only when confirmed', async () => {
    api.answer('media.usage', () => ({ ok: true, value: { id: photo.id, posts: 3 } }));
    api.answer('media.delete', () => ({ ok: true, value: { id: photo.id, removedFromPosts: 3 } }));
    const onClose = vi.fn();
    wrap(<DeleteMediaDialog item={photo} onClose={onClose} />);
    expect(screen.getByRole('dialog', { name: 'Delete “Launch party.jpg”?' })).toBeTruthy();
    await screen.findByText('It is used by 3 posts. Deleting removes it from those posts too.');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete from 3 posts' }));
    });
    expect(api.calls.find((c) => c.name === 'media.delete')?.args).toEqual({ id: photo.id, confirmInUse: true });
    expect(onClose).toHaveBeenCalled();
  });

  it('asks again with the new count when a post started using it meanwhile', async () => {
    api.answer('media.usage', () => ({ ok: true, value: { id: photo.id, posts: 0 } }));
    api.answer('media.delete', (args) =>
      args.confirmInUse
        ? { ok: true, value: { id: photo.id, removedFromPosts: 1 } }
        : { ok: false, error: { code: 'conflict', message: 'in use', reason: 'media_in_use', details: { posts: 1 } } },
    );
    const onClose = vi.fn();
    wrap(<DeleteMediaDialog item={photo} onClose={onClose} />);
    await screen.findByText('It is not used by any post. The file is removed from the library.');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    });
    await screen.findByText('It is used by 1 post. Deleting removes it from that post too.');
    expect(onClose).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Delete from 1 post' }));
    });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });
});

describe('the import report', () => {
  it('announces what landed and lists each refused file by name with its reason', () => {
    wrap(
      <ImportReportView
        report={{
          added: 2,
          duplicates: 1,
          movedToShared: 0,
          failures: [
            { ok: false, fileName: 'IMG_0042.HEIC', reason: 'unsupported_format', message: '', details: { format: 'HEIC' } },
            { ok: false, fileName: 'huge.mov', reason: 'too_large', message: '', details: { bytes: 5 * 1024 ** 3, limit: 2 * 1024 ** 3 } },
          ],
        }}
        onDismiss={() => {}}
      />,
    );
    expect(screen.getByRole('status').textContent).toBe('2 files imported. 1 file was already in the library.');
    const alert = screen.getByRole('alert');
    expect(alert.querySelector('h2')?.textContent).toBe('2 files were not imported');
    expect([...alert.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'IMG_0042.HEIC: HEIC files are not supported. Save it as JPEG, PNG, WebP or GIF, or a video as MP4.',
      'huge.mov: It is 5 GB, more than the 2 GB Outpost accepts. Shorten or compress it first.',
    ]);
  });
});
