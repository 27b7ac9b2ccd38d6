import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Media } from '../../../../main/core/contract';
import { pickerAccept } from '../../../../main/core/media';
import { subscribe } from '../../platform/api';
import { Page } from '../../ui/Page';
import { useErrorText } from '../../ui/useErrorText';
import { AltTextDialog } from './AltTextDialog';
import { DeleteMediaDialog } from './DeleteMediaDialog';
import { ImportReportView } from './ImportReportView';
import { MediaCard } from './MediaCard';
import { VideoDialog } from './VideoDialog';
import { useMedia, type KindFilter } from './media-store';
import { useActiveProject } from '../projects/projects-store';
import { libraryShelves, type LibraryShelf } from '../../../../main/core/contract';
import './media.css';
import { unawaited } from '../../platform/unawaited';

const filters: readonly KindFilter[] = ['all', 'image', 'video'];
const filterLabels = { all: 'media.filterAll', image: 'media.filterImages', video: 'media.filterVideos' } as const;

const hasFiles = (event: DragEvent) => [...event.dataTransfer.types].includes('Files');

/** "This project" and "Shared": which library is shown, and which one imports join. */
function ShelfTabs({ shelf, onChange, panelId }: { shelf: LibraryShelf; onChange(shelf: LibraryShelf): void; panelId: string }) {
  const { t } = useTranslation();
  return (
    <div className="media-shelves" role="tablist" aria-label={t('media.shelves')}>
      {libraryShelves.map((s) => (
        <button
          key={s}
          type="button"
          role="tab"
          id={`media-shelf-${s}`}
          aria-selected={shelf === s}
          aria-controls={panelId}
          tabIndex={shelf === s ? 0 : -1}
          className="media-shelf"
          onClick={() => onChange(s)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
            e.preventDefault();
            const next = libraryShelves[(libraryShelves.indexOf(s) + 1) % libraryShelves.length] as LibraryShelf;
            onChange(next);
            document.getElementById(`media-shelf-${next}`)?.focus();
          }}
        >
          {t(`media.shelf.${s}`)}
        </button>
      ))}
    </div>
  );
}

export function MediaPage() {
  const { t } = useTranslation();
  const describe = useErrorText();
  const { items, query, kind, shelf: chosenShelf, loaded, loadError, importing, report, moveError } = useMedia();
  const { load, setQuery, setKind, setShelf, importFiles, dismissReport, move, dismissMoveError } = useMedia.getState();
  const project = useActiveProject();
  const projectId = project?.id ?? null;
  // Without a project there is only the shared library.
  const shelf: LibraryShelf = projectId ? chosenShelf : 'shared';
  const panelId = useId();
  const [editing, setEditing] = useState<Media | null>(null);
  const [deleting, setDeleting] = useState<Media | null>(null);
  const [viewing, setViewing] = useState<Media | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const dragDepth = useRef(0);
  const searchId = useId();
  const hintId = useId();

  useEffect(() => {
    unawaited(load(), 'load');
    return subscribe('media.changed', () => unawaited(useMedia.getState().load(), 'load'));
  }, [load, projectId]);

  const onDrop = (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current = 0;
    setDragging(false);
    unawaited(importFiles([...event.dataTransfer.files]), 'importFiles');
  };

  const filtered = query.trim() !== '' || kind !== 'all';

  return (
    <Page title={t('pages.media.title')}>
      <div
        className={dragging ? 'media-page dragging' : 'media-page'}
        onDragEnter={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          dragDepth.current++;
          setDragging(true);
        }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => {
          dragDepth.current = Math.max(0, dragDepth.current - 1);
          if (dragDepth.current === 0) setDragging(false);
        }}
        onDrop={onDrop}
      >
        <div className="media-toolbar">
          <button type="button" className="button primary" onClick={() => inputRef.current?.click()} aria-describedby={hintId}>
            {t('media.import')}
          </button>
          <input
            ref={inputRef}
            type="file"
            multiple
            accept={pickerAccept}
            className="visually-hidden"
            tabIndex={-1}
            aria-label={t('media.chooseFiles')}
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              unawaited(importFiles(files), 'importFiles');
            }}
          />
          <div className="media-search">
            <label htmlFor={searchId} className="visually-hidden">
              {t('media.search')}
            </label>
            <input id={searchId} type="search" value={query} placeholder={t('media.searchPlaceholder')} onChange={(e) => setQuery(e.target.value)} />
          </div>
          <fieldset className="media-filter">
            <legend className="visually-hidden">{t('media.filter')}</legend>
            {filters.map((f) => (
              <label key={f} className={kind === f ? 'chip selected' : 'chip'}>
                <input type="radio" name="media-kind" value={f} checked={kind === f} onChange={() => setKind(f)} />
                {t(filterLabels[f])}
              </label>
            ))}
          </fieldset>
        </div>
        {projectId ? <ShelfTabs shelf={shelf} onChange={setShelf} panelId={panelId} /> : null}
        <div id={panelId} role={projectId ? 'tabpanel' : undefined} aria-labelledby={projectId ? `media-shelf-${shelf}` : undefined} className="media-shelf-panel">
        {projectId ? (
          <p className="hint media-shelf-hint">
            {shelf === 'project' ? t('media.shelfHint.project', { name: project?.name ?? '' }) : t('media.shelfHint.shared')}
          </p>
        ) : null}
        <p id={hintId} className="hint drop-hint">
          {t('media.dropHint')}
        </p>

        {importing > 0 && (
          <p className="status" role="status">
            {t('media.importing', { count: importing })}
          </p>
        )}
        {report && <ImportReportView report={report} onDismiss={dismissReport} />}
        {loadError && (
          <p role="alert" className="error">
            {describe(loadError)}
          </p>
        )}
        {moveError && (
          <div role="alert" className="error media-move-error">
            <p>{describe(moveError)}</p>
            <button type="button" className="button subtle" onClick={dismissMoveError}>
              {t('media.dismissReport')}
            </button>
          </div>
        )}

        {loaded && items.length === 0 && !loadError && (
          <p className="media-empty">{filtered ? t('media.noMatches') : t(projectId && shelf === 'shared' ? 'media.emptyShared' : 'media.empty')}</p>
        )}
        {items.length > 0 && (
          <>
            <h2 className="visually-hidden">{t('media.libraryHeading')}</h2>
            <p className="hint media-count" aria-live="polite">
              {t('media.count', { count: items.length })}
            </p>
            <ul className="media-grid" aria-label={t('media.libraryHeading')}>
              {items.map((item) => (
                <MediaCard
                  key={item.id}
                  item={item}
                  onEditAlt={setEditing}
                  onDelete={setDeleting}
                  onOpenVideo={setViewing}
                  moveTo={projectId ? (shelf === 'project' ? 'shared' : 'project') : null}
                  onMove={(target) => unawaited(move(item.id, target === 'project' ? projectId : null), 'move')}
                />
              ))}
            </ul>
          </>
        )}
        </div>
        {dragging && (
          <div className="drop-overlay" aria-hidden="true">
            <p>{t('media.dropNow')}</p>
          </div>
        )}
      </div>
      {editing && <AltTextDialog item={editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteMediaDialog item={deleting} onClose={() => setDeleting(null)} />}
      {viewing && <VideoDialog item={viewing} onClose={() => setViewing(null)} />}
    </Page>
  );
}
