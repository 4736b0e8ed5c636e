import { ProblemException } from './problem.js';

/*
 * Opaque keyset cursors of the API's lists (the inbox, the placements list): JSON in base64url. Each list
 * checks the decoded value's shape itself; anything else given as a cursor is 400 naming `cursor`.
 */

export const badCursor = (reason = 'er ikke en markør fra en tidligere side') =>
  new ProblemException(400, 'Ugyldig markør.', [{ field: 'cursor', reason }]);

export const encodeJsonCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** The value a cursor carries; 400 (`cursor`) when it is not base64url JSON. */
export function decodeJsonCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
}

/** `%`, `_` and `\` escaped, so that they match themselves in a LIKE pattern. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, '\\$&');
