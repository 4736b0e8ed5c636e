import { NOT_BLANK_TEXT_PATTERN, textProblem } from './input-text.js';

/** What the API accepts for a not-blank body text: the body check's rule and the DTOs' /\S/. */
const accepted = (text: string) => textProblem(text, true) === undefined && /\S/.test(text);

describe("the OpenAPI document's not-blank text pattern says what the API accepts", () => {
  it.each([
    ['Familien flyttet', true],
    ['\tinnrykk\r\nog linjeskift\n', true],
    ['æøå', true],
    ['😀', true],
    ['', false],
    ['   ', false],
    ['\t\r\n', false],
    // Blanks outside ASCII, U+FEFF among them (JavaScript's \s holds it, Python's does not).
    ['\u00a0\u2003\u3000', false],
    ['\ufeff', false],
    ['tekst\u0007', false],
    ['\u0000', false],
    ['tekst\u007f', false],
    ['\u001f', false],
  ])('%j: %s', (text, expected) => {
    expect(accepted(text)).toBe(expected);
    expect(new RegExp(NOT_BLANK_TEXT_PATTERN).test(text)).toBe(expected);
  });
});
