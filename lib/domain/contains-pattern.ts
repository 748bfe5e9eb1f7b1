// LIKE treats % and _ as wildcards; a user's search text is matched as typed.
// PostgreSQL's default LIKE escape character is the backslash, and Prisma's `contains` does not escape.

/** The text with \, % and _ escaped, for Prisma's `contains` (which wraps it in %...%). */
export function likeText(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** "%text%" for ILIKE in SQL, the text matched literally. */
export function containsPattern(text: string): string {
  return `%${likeText(text)}%`;
}
