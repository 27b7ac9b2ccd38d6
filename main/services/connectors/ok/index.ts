/** OK (Odnoklassniki) group topics: the publish connector and the signed REST calls under it (sign-in.ts is imported on its own). */
export * from './api';
export * from './connector';
