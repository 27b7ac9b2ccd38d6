/**
 * Runs a promise nobody waits for (a click handler, an event listener) without losing its failure:
 * a rejection is written to the console with what was being done, instead of vanishing.
 */
export function unawaited(promise: Promise<unknown>, what: string): void {
  promise.catch((error: unknown) => console.error(`Outpost: ${what} failed.`, error));
}
