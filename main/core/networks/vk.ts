/**
 * Where VK ID sends the browser back after sign-in. VK ID matches the redirect address with the
 * ones the user registered in their VK app ("Доверенный Redirect URL"), so the port is fixed and
 * the accounts page tells the user to register exactly this address.
 */
export const VK_REDIRECT_PORT = 47811;
export const VK_REDIRECT_URI = `http://127.0.0.1:${VK_REDIRECT_PORT}/callback`;
