/** Telegram's publish connector and what it shares with the connect-time check (connect-check.ts, imported on its own). */
export * from './api';
export * from './connector';
