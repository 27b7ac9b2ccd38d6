/** IPC channel names shared by main and preload; kept free of imports so the sandboxed preload stays tiny. */
export const INVOKE_CHANNEL = 'outpost:invoke';
export const EVENT_CHANNEL = 'outpost:event';
/** Preload → main only, never exposed to the page: registers the path of a file the user picked or dropped. */
export const GRANT_FILE_CHANNEL = 'outpost:grant-file';
