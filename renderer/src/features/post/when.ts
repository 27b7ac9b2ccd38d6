/** The post's time in words, for the composer's list and the queue's confirmation. */
import { dateFormat } from '../../platform/date-format';

/**
 * "Mon 7 Dec, 09:00": the date in the language's order, the time on the user's clock (`lang` is a time
 * locale from settings/time-preferences), both in the project's zone.
 */
export function slotText(instant: number, zone: string, lang: string): string {
  const date = new Date(instant);
  const day = dateFormat(lang, { weekday: 'short', day: 'numeric', month: 'short' }, zone).format(date);
  return `${day}, ${dateFormat(lang, { hour: 'numeric', minute: '2-digit' }, zone).format(date)}`;
}
