/** A backup's or file's moment in the user's locale: "5 Dec 2026, 09:03". */
export function formatWhen(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at);
}
