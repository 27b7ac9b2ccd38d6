/** Discord channel webhooks: the publish connector and the address check the accounts flow shares. */
export * from './api';
export * from './connector';
