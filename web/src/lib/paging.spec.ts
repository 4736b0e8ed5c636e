import { pageNumbers } from './paging.js';

describe('pageNumbers (the pager’s page buttons; 0 is a gap)', () => {
  it('offers every page of a few', () => {
    expect(pageNumbers(1, 1)).toEqual([1]);
    expect(pageNumbers(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('offers the first, the last and the neighbours of the current page of many, gaps between', () => {
    expect(pageNumbers(1, 21)).toEqual([1, 2, 0, 21]);
    expect(pageNumbers(2, 21)).toEqual([1, 2, 3, 0, 21]);
    expect(pageNumbers(10, 21)).toEqual([1, 0, 9, 10, 11, 0, 21]);
    expect(pageNumbers(20, 21)).toEqual([1, 0, 19, 20, 21]);
    expect(pageNumbers(21, 21)).toEqual([1, 0, 20, 21]);
    // No gap where the neighbours reach the ends.
    expect(pageNumbers(3, 8)).toEqual([1, 2, 3, 4, 0, 8]);
  });
});
