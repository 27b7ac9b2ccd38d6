import { useMemo } from 'react';

/**
 * The value from the last render while `key` (a digest of its content) is unchanged, so memoised
 * children skip rendering when a recomputed array says the same thing as before.
 */
export function useStable<T>(value: T, key: string): T {
  // The key stands for the value's content: a new array with the same key is the same value.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => value, [key]);
}
