import { useEffect } from 'preact/hooks';
import { Layout, navFor } from './components/Layout.js';
import { AdherencePage } from './pages/AdherencePage.js';
import { CatalogPage } from './pages/admin/CatalogPage.js';
import { CouncilReportPage } from './pages/CouncilReportPage.js';
import { ImportPlacementsPage } from './pages/ImportPlacementsPage.js';
import { KompetansebaseAdherencePage } from './pages/KompetansebaseAdherencePage.js';
import {
  KompetansebaseAssignmentPage,
  KompetansebaseOrderPage,
  KompetansebaseQueuePage,
} from './pages/KompetansebasePage.js';
import { PeoplePage } from './pages/admin/PeoplePage.js';
import { ReferenceDataPage } from './pages/admin/ReferenceDataPage.js';
import { LeaderPage } from './pages/LeaderPage.js';
import { LoginPage, OidcCallbackPage } from './pages/LoginPage.js';
import { PlacementPage } from './pages/PlacementPage.js';
import { PlacementsPage } from './pages/PlacementsPage.js';
import { RegisterPlacementPage } from './pages/RegisterPlacementPage.js';
import { StatutoryStatusPage } from './pages/StatutoryStatusPage.js';
import { TasksPage } from './pages/TasksPage.js';
import { match, navigate, usePath } from './lib/router.js';
import { CALLBACK_PATH, hasRole, useSession, type Session } from './lib/session.js';

const TITLES: Record<string, string> = {
  '/logg-inn': 'Logg inn',
  '/oppgaver': 'Mine oppgaver',
  '/plasseringer/ny': 'Registrer plassering',
  '/plasseringer/import': 'Importer plasseringer',
  '/plasseringer': 'Plasseringer',
  '/ledelse': 'Ledelse',
  '/lovpalagt-oppfolging': 'Lovpålagt oppfølging',
  '/etterlevelse': 'Etterlevelse',
  '/tilstandsrapport': 'Tilstandsrapport',
  '/admin/personer': 'Personer og roller',
  '/admin/referansedata': 'Referansedata',
  '/admin/katalog': 'Stegkatalog',
  '/kompetansebase/bestill': 'Bestill fra kompetansebasen',
  '/kompetansebase/oppdrag': 'Oppdrag',
  '/kompetansebase/etterlevelse': 'Kompetansebasens etterlevelse',
  '/kompetansebase': 'Kompetansebasens kø',
};

function page(path: string, session: Session) {
  const home = navFor(session)[0]?.href;
  if (path === '/' || path === '/logg-inn' || path === CALLBACK_PATH) {
    if (home) return <Redirect to={home} />;
    return <NoPages />;
  }
  const task = match('/oppgaver/:placementId/:taskId', path);
  if (path === '/oppgaver' || task) {
    if (
      !hasRole(session, 'fosterhjemsressurs', 'kontaktperson', 'leder', 'tilsynsforer', 'bufetat') &&
      !(path === '/oppgaver' && hasRole(session, 'kompetansebase-veileder', 'kompetansebase-leder'))
    )
      return <NotAllowed />;
    return (
      <TasksPage
        session={session}
        focus={task ? { placementId: task.placementId, taskId: task.taskId } : undefined}
      />
    );
  }
  if (path.startsWith('/plasseringer') && !hasRole(session, 'kontaktperson', 'leder')) return <NotAllowed />;
  if (path === '/plasseringer') return <PlacementsPage />;
  if (path === '/plasseringer/ny') return <RegisterPlacementPage session={session} />;
  if (path === '/plasseringer/import') return <ImportPlacementsPage session={session} />;
  const placement = match('/plasseringer/:placementId', path);
  if (placement) return <PlacementPage session={session} placementId={placement.placementId} />;
  if (path === '/ledelse')
    return hasRole(session, 'leder') ? <LeaderPage session={session} /> : <NotAllowed />;
  if (path === '/lovpalagt-oppfolging')
    return hasRole(session, 'leder', 'kontaktperson') ? (
      <StatutoryStatusPage session={session} />
    ) : (
      <NotAllowed />
    );
  if (path === '/etterlevelse')
    return hasRole(session, 'leder', 'laeringsnettverksleder') ? (
      <AdherencePage session={session} />
    ) : (
      <NotAllowed />
    );
  if (path === '/tilstandsrapport')
    return hasRole(session, 'leder') ? <CouncilReportPage session={session} /> : <NotAllowed />;
  if (path === '/kompetansebase/bestill')
    return hasRole(session, 'kontaktperson', 'leder') ? <KompetansebaseOrderPage /> : <NotAllowed />;
  if (path === '/kompetansebase/etterlevelse')
    return hasRole(session, 'kompetansebase-leder', 'laeringsnettverksleder') ? (
      <KompetansebaseAdherencePage session={session} />
    ) : (
      <NotAllowed />
    );
  if (path === '/kompetansebase')
    return hasRole(session, 'kompetansebase-veileder', 'kompetansebase-leder') ? (
      <KompetansebaseQueuePage session={session} />
    ) : (
      <NotAllowed />
    );
  const kbAssignment = match('/kompetansebase/oppdrag/:assignmentId', path);
  if (kbAssignment)
    return <KompetansebaseAssignmentPage session={session} assignmentId={kbAssignment.assignmentId} />;
  if (path.startsWith('/admin/') && !hasRole(session, 'admin')) return <NotAllowed />;
  if (path === '/admin/personer') return <PeoplePage />;
  if (path === '/admin/referansedata') return <ReferenceDataPage />;
  if (path === '/admin/katalog') return <CatalogPage />;
  return <NotFound />;
}

export function App() {
  const session = useSession();
  const path = usePath();

  useEffect(() => {
    const key = Object.keys(TITLES).find((p) => path.startsWith(p));
    document.title = key ? `${TITLES[key]} – Omsorgspakken` : 'Omsorgspakken';
  }, [path]);

  let content;
  if (path === CALLBACK_PATH && !session) content = <OidcCallbackPage />;
  else if (!session) {
    // Not logged in: the login page; a deep link (e.g. from an e-mail) is kept for afterwards.
    if (path !== '/logg-inn' && path !== '/') sessionStorage.setItem('omsorgspakken:after-login', path);
    content = <LoginPage />;
  } else {
    const after = sessionStorage.getItem('omsorgspakken:after-login');
    if (after) {
      sessionStorage.removeItem('omsorgspakken:after-login');
      content = <Redirect to={after} />;
    } else content = page(path, session);
  }
  return (
    <Layout session={session} path={path}>
      {content}
    </Layout>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, true), [to]);
  return null;
}

function NotAllowed() {
  return (
    <section>
      <h1 tabIndex={-1}>Ingen tilgang</h1>
      <p>Rollen din gir ikke tilgang til denne siden.</p>
    </section>
  );
}

function NotFound() {
  return (
    <section>
      <h1 tabIndex={-1}>Fant ikke siden</h1>
      <p>
        <a href="/">Til forsiden</a>
      </p>
    </section>
  );
}

function NoPages() {
  return (
    <section>
      <h1 tabIndex={-1}>Velkommen</h1>
      <p>
        Rollen din har ingen sider i webappen ennå (<a href="/docs">API-dokumentasjon</a>
        ).
      </p>
    </section>
  );
}
