import type { ComponentChildren } from 'preact';
import { ROLE_LABEL } from '../lib/labels.js';
import { logout, type Session } from '../lib/session.js';
import { navigate } from '../lib/router.js';
import { useTaskCounts } from '../lib/task-counts.js';

interface NavItem {
  readonly href: string;
  readonly label: string;
}

/** The nav item of the page at `path`: the longest href it starts with (/kompetansebase/etterlevelse). */
const current = (items: readonly { href: string }[], path: string) =>
  items
    .filter((i) => path.startsWith(i.href))
    .reduce<string | undefined>((a, i) => (a && a.length >= i.href.length ? a : i.href), undefined);

/** The pages a person's roles give them, in the order they are used most. */
export function navFor(session: Session): NavItem[] {
  const roles = session.me.roles;
  const has = (...r: string[]) => roles.some((x) => r.includes(x));
  const items: NavItem[] = [];
  if (has('fosterhjemsressurs', 'kontaktperson', 'leder', 'tilsynsforer', 'bufetat'))
    items.push({ href: '/oppgaver', label: 'Mine oppgaver' });
  if (has('kontaktperson', 'leder')) items.push({ href: '/plasseringer', label: 'Plasseringer' });
  if (has('leder')) items.push({ href: '/ledelse', label: 'Ledelse' });
  if (has('leder')) items.push({ href: '/lovpalagt-oppfolging', label: 'Lovpålagt oppfølging' });
  if (has('leder', 'laeringsnettverksleder')) items.push({ href: '/etterlevelse', label: 'Etterlevelse' });
  if (has('leder')) items.push({ href: '/tilstandsrapport', label: 'Tilstandsrapport' });
  if (has('kontaktperson', 'leder'))
    items.push({ href: '/kompetansebase/bestill', label: 'Bestill fra kompetansebasen' });
  if (has('kompetansebase-veileder', 'kompetansebase-leder'))
    items.push({ href: '/kompetansebase', label: 'Kompetansebasen' });
  if (has('kompetansebase-leder', 'laeringsnettverksleder'))
    items.push({ href: '/kompetansebase/etterlevelse', label: 'Kompetansebasens etterlevelse' });
  if (has('kompetansebase-veileder', 'kompetansebase-leder') && !items.some((i) => i.href === '/oppgaver'))
    items.push({ href: '/oppgaver', label: 'Mine oppgaver' });
  if (has('admin'))
    items.push(
      { href: '/admin/personer', label: 'Personer' },
      { href: '/admin/referansedata', label: 'Referansedata' },
      { href: '/admin/katalog', label: 'Katalog' },
    );
  return items;
}

export function Layout({
  session,
  path,
  children,
}: {
  session: Session | null;
  path: string;
  children: ComponentChildren;
}) {
  const counts = useTaskCounts(session, path);
  return (
    <>
      <a class="ds-skip-link" href="#innhold">
        Hopp til hovedinnholdet
      </a>
      <header class="site-header">
        <div class="wrap header-row">
          <a class="brand" href="/">
            Omsorgspakken
          </a>
          {session && (
            <nav aria-label="Hovedmeny">
              <ul>
                {navFor(session).map((item, _, items) => (
                  <li key={item.href}>
                    <a
                      href={item.href}
                      aria-current={current(items, path) === item.href ? 'page' : undefined}
                    >
                      {item.label}
                      {item.href === '/oppgaver' && counts && (
                        <span class="nav-count">
                          <span class="ds-sr-only">, </span>
                          {counts.mine}
                          <span class="ds-sr-only"> mine</span>
                        </span>
                      )}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {session && (
            <div class="who">
              <span>
                {session.me.name ?? session.me.userId} (
                {session.me.roles.map((r) => ROLE_LABEL[r]).join(', ')})
              </span>
              <button
                type="button"
                class="ds-button"
                data-variant="secondary"
                data-size="sm"
                onClick={() => {
                  logout();
                  navigate('/logg-inn');
                }}
              >
                Logg ut
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="innhold" class="wrap" tabIndex={-1}>
        {children}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>
            Omsorgspakken – oppfølging av barn i fosterhjem. Ingen personopplysninger i varsler eller
            rapporter.
          </p>
        </div>
      </footer>
    </>
  );
}
