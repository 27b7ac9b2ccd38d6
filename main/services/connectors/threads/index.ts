/** Threads' publish connector and what it shares with the sign-in (sign-in.ts, imported on its own). */
export * from './api';
export * from './connector';
