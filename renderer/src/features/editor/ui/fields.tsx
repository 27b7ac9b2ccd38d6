import { useId, useState } from 'react';
import { useEditor } from '../editor-store';

/** Panel controls: each change is an edit of the design; a drag or typing run is one undo step. */

const seal = () => useEditor.getState().sealHistory();

export function NumberField({
  label,
  value,
  min,
  max,
  step = 1,
  decimals = 2,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  /** Shown to this many places; a position in whole pixels, sizes to a hundredth. */
  decimals?: number;
  onChange(value: number): void;
}) {
  const id = useId();
  // While typing, the field shows what is typed (even "1." or ""); otherwise the design's value.
  const [typed, setTyped] = useState<string | null>(null);
  return (
    <div className="editor-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={min}
        max={max}
        step={step}
        value={typed ?? String(round(value, decimals))}
        onChange={(e) => {
          setTyped(e.target.value);
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isFinite(v)) onChange(Math.min(max, Math.max(min, v)));
        }}
        onBlur={() => {
          setTyped(null);
          seal();
        }}
      />
    </div>
  );
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

export function RangeField({ label, value, min, max, step = 1, onChange, format }: { label: string; value: number; min: number; max: number; step?: number; onChange(value: number): void; format?(value: number): string }) {
  const id = useId();
  return (
    <div className="editor-field editor-range">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} onPointerUp={seal} onKeyUp={seal} onBlur={seal} />
      <output htmlFor={id}>{format ? format(value) : value}</output>
    </div>
  );
}

/** #rrggbb for the picker; a colour's own see-through part (#rrggbbaa) is kept. */
export function ColorField({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  const id = useId();
  const alpha = value.length === 9 ? value.slice(7) : '';
  return (
    <div className="editor-field editor-color">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="color" value={value.slice(0, 7)} onChange={(e) => onChange(`${e.target.value}${alpha}`)} onBlur={seal} />
    </div>
  );
}

export function CheckField({ label, checked, onChange }: { label: string; checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}
