/** Pinterest boards: the pin connector, its API layer and the sign-in with the board picker. */
export * from './api';
export * from './connector';
