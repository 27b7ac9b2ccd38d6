/** Bluesky's connector (with its app-password sign-in) and the XRPC and sessions it is built on. */
export * from './api';
export * from './connector';
