import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Length, MaxLength, MinLength } from './text-length.js';

class Sample {
  @Length(2, 3) name!: string;
  @MinLength(2) @MaxLength(3) note!: string;
}

const failures = (name: string, note = name) =>
  validateSync(plainToInstance(Sample, { name, note })).flatMap((e) => Object.keys(e.constraints ?? {}));

describe('text lengths, counted in code points as the OpenAPI document counts them', () => {
  it.each([
    ['ab', []],
    ['abc', []],
    ['a', ['isLength', 'minLength']],
    ['abcd', ['isLength', 'maxLength']],
    // A letter and a variation selector are two code points (class-validator counts one).
    ['a\uFE0F', []],
    ['a\uFE0Fb\uFE0F', ['isLength', 'maxLength']],
    // An astral character (a surrogate pair in UTF-16) is one code point.
    ['😀😀😀', []],
    ['😀😀😀😀', ['isLength', 'maxLength']],
  ])('%j', (text, expected) => {
    expect(failures(text).sort()).toEqual([...expected].sort());
  });

  it('refuses what is not text', () => {
    const errors = validateSync(plainToInstance(Sample, { name: 12, note: null }));
    expect(errors.flatMap((e) => Object.keys(e.constraints ?? {})).sort()).toEqual([
      'isLength',
      'maxLength',
      'minLength',
    ]);
  });
});
