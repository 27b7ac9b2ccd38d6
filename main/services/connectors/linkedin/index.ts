/** LinkedIn members and pages: the post connector, its API layer and the sign-in with the author picker. */
export * from './api';
export * from './connector';
