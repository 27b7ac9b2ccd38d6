// Only a link written with its scheme is attached: VK and OK take the address as typed.
const LINK_WITH_SCHEME = /https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]]/i;

/** The link VK and OK attach to a post (the first one with http(s)://, trailing punctuation left out). */
export function attachedLink(text: string): string | undefined {
  return LINK_WITH_SCHEME.exec(text)?.[0];
}
