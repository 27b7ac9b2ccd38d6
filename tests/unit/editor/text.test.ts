import { describe, expect, it } from 'vitest';
import { logicalAlign, physicalAlign, textDirection } from '../../../main/core/editor/text';

describe('text direction', () => {
  it.each([
    ['Summer sale', 'ltr'],
    ['Летняя распродажа', 'ltr'],
    ['מבצע קיץ', 'rtl'],
    ['تخفيضات الصيف', 'rtl'],
    // The first letter decides, as in the bidi algorithm; digits and punctuation do not.
    ['2026 — מבצע', 'rtl'],
    ['«Sale» מבצע', 'ltr'],
    ['🎉 50%', 'ltr'],
    ['', 'ltr'],
  ] as const)('%s reads %s', (text, direction) => {
    expect(textDirection(text)).toBe(direction);
  });

  it('maps logical alignment to the side it lands on, and back', () => {
    expect(physicalAlign('start', 'ltr')).toBe('left');
    expect(physicalAlign('start', 'rtl')).toBe('right');
    expect(physicalAlign('end', 'rtl')).toBe('left');
    expect(physicalAlign('center', 'rtl')).toBe('center');
    for (const dir of ['ltr', 'rtl'] as const) {
      for (const align of ['start', 'center', 'end'] as const) expect(logicalAlign(physicalAlign(align, dir), dir)).toBe(align);
    }
  });
});
