import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { CalendarPage } from '../features/calendar/CalendarPage';
import { ComposePage } from '../features/compose/ComposePage';
import { MediaPage } from '../features/media/MediaPage';
import { pages, useNavigation, type Page } from '../features/navigation/navigation-store';
import { NeedsAttention } from '../features/publishing/NeedsAttention';
import { ProjectSwitcher } from '../features/projects/ProjectSwitcher';
import { SettingsPage } from '../features/settings/SettingsPage';

// The editor brings fabric and its canvas code; loading it on first use keeps the app's start short.
const EditorPage = lazy(() => import('../features/editor/EditorPage').then((m) => ({ default: m.EditorPage })));
// Likewise the results page and its charting library (uPlot measures the screen as it loads).
const ResultsPage = lazy(() => import('../features/results/ResultsPage').then((m) => ({ default: m.ResultsPage })));

const pageViews: Record<Page, React.ComponentType> = {
  calendar: CalendarPage,
  compose: ComposePage,
  media: MediaPage,
  editor: EditorPage,
  results: ResultsPage,
  accounts: AccountsPage,
  settings: SettingsPage,
};

export function Shell() {
  const { t } = useTranslation();
  const { page, go } = useNavigation();
  const View = pageViews[page];

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <aside className="sidebar">
        <div className="sidebar-inner">
          <div className="brand" aria-hidden="true">
            {t('app.name')}
          </div>
          <ProjectSwitcher />
          <NeedsAttention />
          <nav aria-label={t('nav.label')}>
            <ul className="nav-list">
              {pages.map((p) => (
                <li key={p}>
                  <a
                    href={`#/${p}`}
                    className="nav-link"
                    aria-current={p === page ? 'page' : undefined}
                    onClick={(e) => {
                      e.preventDefault();
                      go(p);
                    }}
                  >
                    {t(`nav.${p}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense fallback={<p className="loading" role="status">{t('app.loading')}</p>}>
          <View />
        </Suspense>
      </main>
    </div>
  );
}
