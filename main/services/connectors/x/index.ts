/** X (API v2): the publish connector and what the sign-in and accounts flow share. */
export * from './api';
export * from './connector';
