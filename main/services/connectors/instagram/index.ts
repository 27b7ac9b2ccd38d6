/** Instagram's publish connector and what it shares with the accounts flow (an IG user linked to a Page). */
export * from './api';
export * from './connector';
