/**
 * LinkedIn's "little" text format: these characters are markup, and an unescaped one makes
 * LinkedIn cut the post short at that point [doc little-text-format; obs].
 */
const reserved = /[|{}@[\]()<>#*_~\\]/g;

/** Escapes LinkedIn's reserved characters (| { } @ [ ] ( ) < > # * _ ~ \) with a backslash each. */
export function escapeLittleText(text: string): string {
  return text.replace(reserved, (character) => `\\${character}`);
}
