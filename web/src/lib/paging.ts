/** The page numbers to offer: all of few pages, else the first, the last and the pages around this one (0: a gap). */
export function pageNumbers(page: number, pages: number): number[] {
  if (pages <= 7) return Array.from({ length: pages }, (_, i) => i + 1);
  const around = [page - 1, page, page + 1].filter((n) => n > 1 && n < pages);
  const numbers = [1, ...around, pages];
  return numbers.flatMap((n, i) => (i > 0 && n - numbers[i - 1] > 1 ? [0, n] : [n]));
}
