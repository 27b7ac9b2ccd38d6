import { describe, expect, it } from 'vitest';
import { hasSpintax, identicalTexts, renderSpintax, spintaxVariantCount, wordingKey, wordTargets } from '../../../main/core/spintax';

/** One idea worded per account: `{Hi|Hello}` chosen the same way every time for the same account. */

describe('spintax', () => {
  it('chooses one option per group, nested groups too, and the same one every time for the same account', () => {
    const text = '{Hi|Hello|Hey} friends, {fresh {challah|rye}|warm bread} today!';
    const key = wordingKey('post-1', 'acc-telegram');
    const once = renderSpintax(text, key);
    expect(once).toMatch(/^(Hi|Hello|Hey) friends, (fresh (challah|rye)|warm bread) today!$/);
    for (let i = 0; i < 5; i++) expect(renderSpintax(text, key)).toBe(once);
    expect(spintaxVariantCount(text)).toBe(9);
    // Different accounts get different wordings (over many, every option shows up).
    const seen = new Set(Array.from({ length: 60 }, (_, i) => renderSpintax(text, wordingKey('post-1', `acc-${i}`))));
    expect(seen.size).toBe(9);
  });

  it('leaves ordinary text alone: braces without a choice, unclosed braces, escapes', () => {
    for (const text of ['Dear {name}, see you', 'if (x) { return }', 'A smile :{', 'plain text', '{solo}']) {
      expect(hasSpintax(text), text).toBe(false);
      expect(renderSpintax(text, 'k'), text).toBe(text);
    }
    expect(renderSpintax('Use \\{a\\|b\\} literally', 'k')).toBe('Use {a|b} literally');
    expect(renderSpintax('{Hi|Hello} {name}', 'k')).toMatch(/^(Hi|Hello) \{name\}$/);
    expect(renderSpintax('{a|{b}|c}', 'k')).toMatch(/^(a|\{b\}|c)$/);
    expect(renderSpintax('{open|never closed', 'k')).toBe('{open|never closed');
  });

  it('words every target differently when asked, as far as the text allows, and says which would still match', () => {
    const targets = Array.from({ length: 3 }, (_, i) => ({ key: wordingKey('p', `acc-${i}`), text: '{Hi|Hello|Hey} there' }));
    const words = wordTargets(targets, true);
    expect(new Set(words.values()).size).toBe(3);
    expect(identicalTexts(words)).toEqual([]);
    // Stable: the same targets, in any order, get the same words.
    expect(wordTargets([...targets].reverse(), true)).toEqual(words);
    // Four accounts, three wordings: two must match, and are named.
    const crowded = wordTargets([...targets, { key: wordingKey('p', 'acc-3'), text: '{Hi|Hello|Hey} there' }], true);
    expect(identicalTexts(crowded)).toHaveLength(1);
    expect(identicalTexts(crowded)[0]).toHaveLength(2);
    // Without spintax nothing can differ.
    expect(identicalTexts(wordTargets([{ key: 'a', text: 'Same' }, { key: 'b', text: 'Same' }], true))).toEqual([['a', 'b']]);
  });
});
