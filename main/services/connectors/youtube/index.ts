/** YouTube channels: the video connector (resumable uploads, native handoff by publishAt), its API layer and the sign-in. */
export * from './api';
export * from './connector';
