import { describe, expect, it } from 'vitest';
import { buildCsp } from '../../main/core/csp';

describe('buildCsp delivery', () => {
  it('keeps frame-ancestors in the HTTP header policy (the default)', () => {
    expect(buildCsp()).toContain("frame-ancestors 'none'");
    expect(buildCsp({ delivery: 'header' })).toContain("frame-ancestors 'none'");
  });

  it('leaves frame-ancestors out of the <meta> policy, where Chromium ignores it with a console error', () => {
    const meta = buildCsp({ delivery: 'meta' });
    expect(meta).not.toContain('frame-ancestors');
    // Everything else is the same policy.
    expect(meta).toBe(
      buildCsp()
        .split('; ')
        .filter((directive) => !directive.startsWith('frame-ancestors'))
        .join('; '),
    );
  });
});
