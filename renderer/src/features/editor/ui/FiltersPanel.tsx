import { useTranslation } from 'react-i18next';
import type { Filters } from '../../../../../main/core/editor/design';
import { useEditor } from '../editor-store';
import { resetFilters, setFilters } from '../model/layers';
import { RangeField } from './fields';

const sliders: { key: keyof Filters; min: number; max: number }[] = [
  { key: 'brightness', min: -100, max: 100 },
  { key: 'contrast', min: -100, max: 100 },
  { key: 'saturation', min: -100, max: 100 },
  { key: 'blur', min: 0, max: 100 },
  { key: 'greyscale', min: 0, max: 100 },
  { key: 'sepia', min: 0, max: 100 },
];

/** Adjustments to the photo; each slider's drag is one undo step. */
export function FiltersPanel() {
  const { t } = useTranslation();
  const filters = useEditor((s) => s.design?.photo?.filters);
  if (!filters) return null;
  const change = (key: keyof Filters, value: number) => {
    const { design, commit } = useEditor.getState();
    if (design) commit(setFilters(design, { [key]: value }), { coalesce: `filter:${key}` });
  };
  const changed = sliders.some((s) => filters[s.key] !== 0);
  return (
    <section className="editor-panel" aria-labelledby="editor-filters-heading">
      <h2 id="editor-filters-heading">{t('editor.filters.heading')}</h2>
      {sliders.map((s) => (
        <RangeField key={s.key} label={t(`editor.filters.${s.key}`)} value={filters[s.key]} min={s.min} max={s.max} onChange={(v) => change(s.key, v)} />
      ))}
      <button
        type="button"
        className="button"
        disabled={!changed}
        onClick={() => {
          const { design, commit } = useEditor.getState();
          if (design) commit(resetFilters(design));
        }}
      >
        {t('editor.filters.reset')}
      </button>
    </section>
  );
}
