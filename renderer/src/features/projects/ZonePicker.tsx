import { forwardRef, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { searchZones, zoneOption, zoneOptions } from './zones';
import './projects.css';

interface ZonePickerProps {
  id: string;
  value: string;
  onChange(zone: string): void;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * The time zone as a searchable combobox (ARIA 1.2 pattern with a list): type a city, a zone name or
 * an offset; arrows walk the matches, Enter takes one, Escape puts the chosen zone back.
 */
export const ZonePicker = forwardRef<HTMLInputElement, ZonePickerProps>(function ZonePicker({ id, value, onChange, describedBy, invalid }, ref) {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const chosen = useMemo(() => zoneOption(value, i18n.language, Date.now()), [value, i18n.language]);
  const [query, setQuery] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const list = useRef<HTMLUListElement>(null);
  const open = query !== null;
  // The list of ~420 zones is made when first opened, not with every dialog.
  const matches = useMemo(() => (open ? searchZones(zoneOptions(i18n.language), query) : []), [open, i18n.language, query]);
  const optionId = (index: number) => `${listId}-${index}`;

  const show = (index: number) => {
    setActive(index);
    requestAnimationFrame(() => document.getElementById(optionId(index))?.scrollIntoView?.({ block: 'nearest' }));
  };
  const choose = (zone: string) => {
    onChange(zone);
    setQuery(null);
  };
  const openAt = (text: string) => {
    setQuery(text);
    const all = text ? [] : zoneOptions(i18n.language);
    const index = all.findIndex((o) => o.id === value);
    show(Math.max(0, index));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return openAt('');
      const step = event.key === 'ArrowDown' ? 1 : -1;
      if (matches.length) show((active + step + matches.length) % matches.length);
    } else if ((event.key === 'Home' || event.key === 'End') && open && matches.length) {
      event.preventDefault();
      show(event.key === 'Home' ? 0 : matches.length - 1);
    } else if (event.key === 'Enter' && open) {
      // Enter takes the highlighted zone instead of submitting the form.
      event.preventDefault();
      const pick = matches[active];
      if (pick) choose(pick.id);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only; the dialog around it stays.
      event.preventDefault();
      event.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <div className="zone-picker">
      <input
        id={id}
        ref={ref}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches[active] ? optionId(active) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        autoComplete="off"
        dir="auto"
        spellCheck={false}
        value={open ? query : chosen.label}
        placeholder={t('projects.zoneSearch')}
        onChange={(e) => {
          setQuery(e.target.value);
          show(0);
        }}
        onFocus={(e) => e.currentTarget.select()}
        onClick={() => !open && openAt('')}
        onBlur={() => setQuery(null)}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} ref={list} role="listbox" aria-label={t('projects.timezone')} className="zone-list" hidden={!open}>
        {open && matches.length === 0 && (
          <li className="zone-none" role="presentation">
            {t('projects.zoneNone')}
          </li>
        )}
        {matches.map((o, index) => (
          <li
            key={o.id}
            id={optionId(index)}
            role="option"
            aria-selected={o.id === value}
            data-active={index === active || undefined}
            data-zone={o.id}
            // Keeps focus in the input, so the click lands before blur closes the list.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(o.id)}
          >
            <span className="zone-city">
              <bdi>{o.label}</bdi>
            </span>
            <span className="zone-detail">{[o.region, o.name].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
});
