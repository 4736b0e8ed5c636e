import { Pager, usePaged } from '../components/Pager.js';
import { Loading, Problem } from '../components/Problem.js';
import { StatusMessage, useStatus } from '../components/StatusMessage.js';
import { TaskList } from '../components/TaskTable.js';
import { WaiverRequests } from '../components/placement/WaiverRecord.js';
import { allPages, api } from '../lib/api.js';
import { todayInOslo } from '../lib/dates.js';
import { formatDate, LEDGER_KIND_LABEL, placementName, RISK_LEVEL_LABEL } from '../lib/labels.js';
import type { Session } from '../lib/session.js';
import type { StatutoryRisk, Task } from '../lib/types.js';
import { afterCommand, useLoad } from '../lib/use-load.js';

/** How many escalated tasks and risk-list rows the leader's desk shows at a time. */
const DESK_PAGE = 10;

/**
 * The leader's desk: escalated tasks, open requests to waive statutory steps (read the justification,
 * co-sign or decline), and placements at risk of missing this year's statutory visits. The long lists are
 * paged, 10 at a time, so the page fits a working day; every child's status is on «Lovpålagt oppfølging».
 */
export function LeaderPage({ session }: { session: Session }) {
  const status = useStatus();
  const year = Number(todayInOslo().slice(0, 4));
  const escalated = useLoad(
    async () =>
      (await allPages<Task>('/api/tasks', { status: 'overdue', limit: 200 }, 5)).filter((t) => t.escalated),
    [],
  );
  const risk = useLoad(
    () => api<StatutoryRisk[]>('/api/adherence/statutory-risk', { query: { year } }),
    [year],
  );
  const escalatedPage = usePaged(escalated.data, DESK_PAGE);
  const riskPage = usePaged(risk.data, DESK_PAGE);
  const done = (text: string) => {
    status.show(text);
    afterCommand(() => {
      escalated.reload();
      risk.reload();
    });
  };

  return (
    <section aria-labelledby="leader-title">
      <h1 id="leader-title" tabIndex={-1}>
        Ledelse
      </h1>
      <StatusMessage status={status} />

      <section aria-labelledby="escalated-title">
        <h2 id="escalated-title">Eskalerte oppgaver</h2>
        <p class="muted">
          Forsinkede steg som er meldt til leder (en uke etter fristen)
          {escalated.data && escalated.data.length > 0
            ? `: ${escalated.data.length}, eldste frist først, ${DESK_PAGE} om gangen.`
            : '.'}
        </p>
        {escalated.loading && !escalated.data && <Loading what="eskalerte oppgaver" />}
        <Problem error={escalated.error} />
        {escalated.data && <TaskList tasks={escalatedPage.items} session={session} onDone={done} />}
        <Pager
          label="Sider med eskalerte oppgaver"
          page={escalatedPage.page}
          pages={escalatedPage.pages}
          onPage={escalatedPage.setPage}
        />
      </section>

      <WaiverRequests session={session} onDone={done} />

      <section aria-labelledby="risk-title">
        <h2 id="risk-title">Risiko for brudd på besøkskravet {year}</h2>
        <p class="muted">
          Et frafalt besøk teller ikke som besøk: kravet senkes bare ved et registrert vedtak om redusert
          oppfølging. Frafalte besøk vises for seg, og de gjenstående besøkene må fortsatt gjennomføres.
        </p>
        <p class="leader-more">
          <a href="/lovpalagt-oppfolging">Se lovpålagt oppfølging for alle barna i tjenesten</a>
        </p>
        {risk.loading && !risk.data && <Loading what="risikolisten" />}
        <Problem error={risk.error} />
        {risk.data && (
          <table class="ds-table">
            <caption>
              Plasseringer som kan få for få lovpålagte besøk i {year}, mest hastende først
              {riskPage.pages > 1 ? ` (side ${riskPage.page} av ${riskPage.pages})` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Plassering</th>
                <th scope="col">Besøk</th>
                <th scope="col">Nivå</th>
                <th scope="col">Krav</th>
                <th scope="col">Utført</th>
                <th scope="col">Frafalt</th>
                <th scope="col">Gjenstår</th>
                <th scope="col">Siste frist for å starte</th>
              </tr>
            </thead>
            <tbody>
              {riskPage.items.map((r) => (
                <tr key={`${r.placementId}-${r.kind}`}>
                  <th scope="row">
                    <a href={`/plasseringer/${r.placementId}`}>
                      {placementName(r.placementId, r.caseNumber)}
                    </a>
                  </th>
                  <td>{LEDGER_KIND_LABEL[r.kind]}</td>
                  <td>{RISK_LEVEL_LABEL[r.level]}</td>
                  <td>{r.required}</td>
                  <td>{r.completed}</td>
                  <td>{r.waived}</td>
                  <td>{r.remaining}</td>
                  <td>{formatDate(r.saveBy)}</td>
                </tr>
              ))}
              {risk.data.length === 0 && (
                <tr>
                  <td colSpan={8}>Ingen plasseringer i risiko.</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        <Pager
          label="Sider i risikolisten"
          page={riskPage.page}
          pages={riskPage.pages}
          onPage={riskPage.setPage}
        />
      </section>
    </section>
  );
}
