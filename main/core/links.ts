/**
 * A link Outpost stores to open later (an account's profile, a published post): https only, or
 * null. A network (or a fake, or a tampered answer) that reports http:, javascript: or file:
 * gets no link rather than one the app would hand to the system browser.
 */
export function httpsLinkOrNull(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password ? value : null;
}
