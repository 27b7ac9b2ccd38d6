import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { approvalStates, postStatuses } from '../../../../main/core/contract';
import { filterIsEmpty, emptyFilter, type CalendarFilter } from '../../../../main/core/calendar/layout';
import { useProjects } from '../projects/projects-store';
import { useCalendar } from './calendar-store';

type ListKey = keyof CalendarFilter;

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Search and filters: project, account or network, status, approval, label. Filters apply at once, in memory. */
export function FilterBar({ allProjects }: { allProjects: boolean }) {
  const { t } = useTranslation();
  const filter = useCalendar((s) => s.filter);
  const accounts = useCalendar((s) => s.accounts);
  const labels = useCalendar((s) => s.labels);
  const projects = useProjects((s) => s.projects);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const toggleButton = useRef<HTMLButtonElement>(null);
  const [search, setSearch] = useState(useCalendar.getState().search);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (search !== useCalendar.getState().search) useCalendar.getState().setSearch(search);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);

  useEffect(() => {
    if (!open) return;
    // A popover: a click elsewhere or Escape closes it (Escape hands focus back to its button).
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      setOpen(false);
      toggleButton.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    root.current?.addEventListener('keydown', onKey);
    const element = root.current;
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      element?.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const set = <K extends ListKey>(key: K, value: CalendarFilter[K][number]) =>
    useCalendar.getState().setFilter({ ...filter, [key]: toggle(filter[key] as readonly unknown[], value) });
  const networks = [...new Set(accounts.map((a) => a.network))];
  const active = Object.values(filter).reduce((n, list: readonly unknown[]) => n + list.length, 0);

  const group = <K extends ListKey>(key: K, legend: string, options: { value: CalendarFilter[K][number]; label: string }[]) =>
    options.length > 0 && (
      <fieldset className="filter-group">
        <legend>{legend}</legend>
        {options.map((option) => (
          <label key={String(option.value)} className="checkbox">
            <input type="checkbox" checked={(filter[key] as readonly unknown[]).includes(option.value)} onChange={() => set(key, option.value)} />
            {option.label}
          </label>
        ))}
      </fieldset>
    );

  return (
    <div className="calendar-filters" ref={root}>
      <div className="filter-row">
        <input
          type="search"
          className="calendar-search"
          value={search}
          placeholder={t('calendar.searchPlaceholder')}
          aria-label={t('calendar.search')}
          onChange={(e) => setSearch(e.target.value)}
        />
        <button ref={toggleButton} type="button" className="button" aria-expanded={open} aria-controls="calendar-filter-panel" onClick={() => setOpen(!open)}>
          {active ? t('calendar.filtersActive', { count: active }) : t('calendar.filters')}
        </button>
        {!filterIsEmpty(filter) && (
          <button type="button" className="button subtle" onClick={() => useCalendar.getState().setFilter(emptyFilter)}>
            {t('calendar.clearFilters')}
          </button>
        )}
      </div>
      {open && (
        <div id="calendar-filter-panel" className="filter-panel">
          {allProjects && group('projectIds', t('calendar.filter.projects'), projects.map((p) => ({ value: p.id, label: p.name })))}
          {group('networks', t('calendar.filter.networks'), networks.map((n) => ({ value: n, label: t(`networks.${n}`) })))}
          {group(
            'accountIds',
            t('calendar.filter.accounts'),
            accounts.map((a) => ({ value: a.id, label: `${t(`networks.${a.network}`)} · ${a.displayName || a.handle}` })),
          )}
          {group('statuses', t('calendar.filter.statuses'), postStatuses.map((s) => ({ value: s, label: t(`calendar.status.${s}`) })))}
          {group('approvals', t('calendar.filter.approvals'), approvalStates.map((a) => ({ value: a, label: t(`calendar.approval.${a}`) })))}
          {group('labels', t('calendar.filter.labels'), labels.map((l) => ({ value: l, label: l })))}
        </div>
      )}
    </div>
  );
}
