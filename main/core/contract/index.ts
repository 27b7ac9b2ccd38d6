import type { z } from 'zod';
import type { Result } from '../errors';
import { accountEvents, accountRequests } from './accounts';
import { appEvents, appRequests } from './app';
import { calendarRequests } from './calendar';
import { dataEvents, dataRequests } from './data';
import { editorEvents, editorRequests } from './editor';
import { mediaEvents, mediaRequests } from './media';
import { evergreenRequests } from './evergreen';
import { hashtagRequests } from './hashtags';
import { linkRequests } from './links';
import { postEvents, postRequests } from './posts';
import { projectEvents, projectRequests } from './projects';
import { publishingEvents, publishingRequests } from './publishing';
import { queueEvents, queueRequests } from './queue';
import { quotaRequests } from './quota';
import { resultsRequests } from './results';
import { relayEvents, relayRequests } from './relay';
import { settingsEvents, settingsRequests } from './settings';
import { snippetRequests } from './snippets';

/**
 * The one contract between the UI and main: every request (name → args → result) and every
 * event, one module per domain, combined here. Handlers, the preload bridge, the browser host
 * and the renderer client are all typed from these maps, and every request's args are
 * validated against them at the boundary. Names read `<domain>.<verb>`.
 */
export * from './accounts';
export * from './app';
export * from './calendar';
export * from './data';
export * from './editor';
export * from './media';
export * from './evergreen';
export * from './hashtags';
export * from './posts';
export * from './projects';
export * from './publishing';
export * from './queue';
export * from './quota';
export * from './links';
export * from './results';
export * from './relay';
export * from './settings';
export * from './snippets';

export const requests = {
  ...appRequests,
  ...calendarRequests,
  ...dataRequests,
  ...accountRequests,
  ...mediaRequests,
  ...editorRequests,
  ...evergreenRequests,
  ...hashtagRequests,
  ...linkRequests,
  ...postRequests,
  ...projectRequests,
  ...publishingRequests,
  ...queueRequests,
  ...quotaRequests,
  ...resultsRequests,
  ...relayRequests,
  ...settingsRequests,
  ...snippetRequests,
} as const;

export const events = {
  ...appEvents,
  ...dataEvents,
  ...accountEvents,
  ...mediaEvents,
  ...editorEvents,
  ...postEvents,
  ...projectEvents,
  ...publishingEvents,
  ...queueEvents,
  ...relayEvents,
  ...settingsEvents,
} as const;

export type RequestName = keyof typeof requests;
export type EventName = keyof typeof events;
/** What a caller passes (optional fields may be left out). */
export type Args<N extends RequestName> = z.input<(typeof requests)[N]['args']>;
/** What a handler receives after validation. */
export type ParsedArgs<N extends RequestName> = z.output<(typeof requests)[N]['args']>;
export type Reply<N extends RequestName> = z.output<(typeof requests)[N]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export type Handlers = {
  [N in RequestName]: (args: ParsedArgs<N>) => Reply<N> | Promise<Reply<N>>;
};

/** The handlers of one domain module's requests, e.g. `HandlersOf<typeof postRequests>`. */
export type HandlersOf<Domain> = Pick<Handlers, keyof Domain & RequestName>;

/** `window.outpost`: the only thing the renderer may use to reach main. */
export interface OutpostApi {
  invoke<N extends RequestName>(name: N, args: Args<N>): Promise<Result<Reply<N>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /**
   * Electron only: where a dropped or picked file lives on disk (`webUtils.getPathForFile`), so
   * main imports it by path and nothing large crosses IPC. Null for a file with no path. Main
   * learns the path here too: `media.import` takes no path that did not come through this.
   */
  pathForFile?(file: File): Promise<string | null>;
  /** Browser host only: streams a file to POST /api/upload; `media.import` then takes the upload id. */
  upload?(file: File): Promise<Result<{ uploadId: string }>>;
}

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}
