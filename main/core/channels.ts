/** IPC channel names shared by main and preload; kept free of imports so the sandboxed preload stays tiny. */
export const INVOKE_CHANNEL = 'outpost:invoke';
export const EVENT_CHANNEL = 'outpost:event';
