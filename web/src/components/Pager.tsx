import { useEffect, useState } from 'preact/hooks';
import { pageNumbers } from '../lib/paging.js';

/**
 * Designsystemet's pagination (`ds-pagination`): previous, the page numbers and next, as buttons; the
 * current page marked with aria-current. Nothing when everything fits on one page.
 */
export function Pager({
  label,
  page,
  pages,
  onPage,
}: {
  /** What is paged, for screen readers («Sider i risikolisten»). */
  label: string;
  /** 1-based. */
  page: number;
  pages: number;
  onPage: (page: number) => void;
}) {
  if (pages <= 1) return null;
  return (
    <nav class="ds-pagination" aria-label={label}>
      <ul>
        <li>
          <button
            type="button"
            class="ds-button"
            data-variant="tertiary"
            disabled={page <= 1}
            onClick={() => onPage(page - 1)}
          >
            Forrige
          </button>
        </li>
        {pageNumbers(page, pages).map((n, i) =>
          n === 0 ? (
            <li key={`gap-${i}`} />
          ) : (
            <li key={n}>
              <button
                type="button"
                class="ds-button"
                data-variant="tertiary"
                aria-current={n === page ? 'true' : undefined}
                onClick={() => onPage(n)}
              >
                <span class="ds-sr-only">Side </span>
                {n}
              </button>
            </li>
          ),
        )}
        <li>
          <button
            type="button"
            class="ds-button"
            data-variant="tertiary"
            disabled={page >= pages}
            onClick={() => onPage(page + 1)}
          >
            Neste
          </button>
        </li>
      </ul>
    </nav>
  );
}

/** A long list shown `size` at a time: the page's items and the pager's state (back to page 1 when the list changes length). */
export function usePaged<T>(items: readonly T[] | undefined, size: number) {
  const [page, setPage] = useState(1);
  const count = items?.length ?? 0;
  const pages = Math.max(1, Math.ceil(count / size));
  useEffect(() => {
    if (page > pages) setPage(pages);
  }, [page, pages]);
  const current = Math.min(page, pages);
  return {
    page: current,
    pages,
    setPage,
    items: (items ?? []).slice((current - 1) * size, current * size),
  };
}
