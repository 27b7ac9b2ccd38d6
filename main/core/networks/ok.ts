/**
 * Where OK sends the browser back after sign-in. OK compares redirect_uri character for character
 * with one registered in the user's OK app (apiok.ru/ext/oauth/server), so the port is fixed and
 * the accounts page tells the user to register exactly this address.
 */
export const OK_REDIRECT_PORT = 51739;
export const OK_REDIRECT_URI = `http://127.0.0.1:${OK_REDIRECT_PORT}/callback`;
