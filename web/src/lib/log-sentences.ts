import {
  ANNULLED_LABEL,
  END_REASON_LABEL,
  LEDGER_KIND_LABEL,
  LEGAL_BASIS_LABEL,
  OUTCOME_LABEL,
  PAUSE_REASON_LABEL,
  PLACEMENT_TYPE_LABEL,
  ROLE_LABEL,
  WAIVE_REASON_LABEL,
} from '../../../libs/domain/labels.js';
import { ANNULLED, type Role } from '../../../libs/domain/vocabulary.js';
import type { AccessLogEntry, TimelineEntry } from './types.js';

/*
 * The placement page's two logs as bokmål sentences: the package's events ("Første besøk i hjemmet ble
 * åpnet") and who accessed the child's data ("Åse Myhre (leder) så barnets opplysninger 05.12.2026
 * kl. 10.14"). Pure functions of what the API returns; the raw codes stay on the entries for experts.
 */

const OSLO = new Intl.DateTimeFormat('nb-NO', {
  timeZone: 'Europe/Oslo',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as Norwegians write it in a log: `05.12.2026 kl. 10.14`, in Oslo time. */
export function formatLogInstant(iso: string): string {
  const part = Object.fromEntries(OSLO.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${part.day}.${part.month}.${part.year} kl. ${part.hour}.${part.minute}`;
}

const day = (iso: unknown) => {
  if (typeof iso !== 'string') return '–';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}.${m}.${y}`;
};

/** A role in the definite form, for "… av kontaktpersonen" when the person's name is not known. */
const ROLE_DEFINITE: Record<Role, string> = {
  fosterhjemsressurs: 'fosterhjemsressursen',
  kontaktperson: 'kontaktpersonen',
  leder: 'lederen',
  tilsynsforer: 'tilsynsføreren',
  bufetat: 'Bufetat-rådgiveren',
  laeringsnettverksleder: 'læringsnettverkslederen',
  admin: 'administratoren',
  'kompetansebase-veileder': 'veilederen i kompetansebasen',
  'kompetansebase-leder': 'lederen for kompetansebasen',
};

/** A role label inside a sentence: lower case, except the name Bufetat. */
const roleInSentence = (role: string) => {
  const label = ROLE_LABEL[role as Role] ?? role;
  return role === 'bufetat' ? label : label.toLowerCase();
};

/** What the history needs to name things: step titles (from the task list) and people's names. */
export interface HistoryNames {
  /** The title of a task of this placement, when the task list has it. */
  readonly titleOf: (taskId: string) => string | undefined;
  /** A person's name, when the API gave it (e.g. as a task's assignee). */
  readonly nameOf: (userId: string) => string | undefined;
}

type Details = Record<string, unknown>;
type Sentence = (step: string, d: Details, names: HistoryNames) => string;

interface ActorDetail {
  readonly userId: string;
  readonly role: string;
}
const actorOf = (d: Details): ActorDetail | undefined => {
  const by = d.by as Partial<ActorDetail> | undefined;
  return typeof by?.userId === 'string' && typeof by.role === 'string'
    ? { userId: by.userId, role: by.role }
    : undefined;
};
/** "av Åse Myhre", or "av kontaktpersonen" when the name is not known; empty when nobody is named. */
const byWhom = (d: Details, names: HistoryNames, key = 'by') => {
  const actor = actorOf({ by: d[key] });
  if (!actor) return '';
  return ` av ${names.nameOf(actor.userId) ?? ROLE_DEFINITE[actor.role as Role] ?? actor.role}`;
};
/** "Åse Myhre", or "Kontaktpersonen" when the name is not known: the subject that starts a sentence. */
const who = (d: Details, names: HistoryNames, key = 'by') => {
  const name = byWhom(d, names, key).slice(' av '.length) || 'Noen';
  return name.charAt(0).toUpperCase() + name.slice(1);
};
const reasonOf = (d: Details) => WAIVE_REASON_LABEL[String(d.reason)] ?? String(d.reason);
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const RESCHEDULE_WHY: Record<string, string> = {
  'placement-date-changed': 'fordi innflyttingsdatoen ble endret',
  'placement-type-changed': 'fordi plasseringstypen ble endret',
  reduction: 'etter vedtak om redusert oppfølging',
  resumed: 'etter at plasseringen ble gjenopptatt',
};
const CANCEL_WHY: Record<string, string> = {
  'placement-ended': 'fordi plasseringen ble avsluttet',
  'package-expired': 'fordi omsorgspakkens tid er ute',
  'not-applicable-after-change': 'fordi steget ikke gjelder etter endringen av plasseringen',
  reduction: 'etter vedtak om redusert oppfølging',
  'supervision-ended': 'fordi tilsynet slutter når barnet fyller 18 år',
};

/** One sentence per event type of libs/domain/events.ts (unit test: every type has one). */
export const EVENT_SENTENCES: Readonly<Record<string, Sentence>> = {
  PlacementRegistered: (_, d, n) =>
    `Plasseringen ble registrert${byWhom(d, n)}: ${
      PLACEMENT_TYPE_LABEL[d.placementType as keyof typeof PLACEMENT_TYPE_LABEL] ?? String(d.placementType)
    }, innflytting ${day(d.placementDate)}, katalog ${String(d.catalogVersion)}`,
  TasksPlanned: (_, d) => {
    const n = Array.isArray(d.taskIds) ? d.taskIds.length : 0;
    switch (d.reason) {
      case 'registered':
        return `Omsorgspakken ble planlagt med ${count(n, 'steg', 'steg')}`;
      case 'ad-hoc':
        return `${count(n, 'ekstra steg', 'ekstra steg')} ble lagt til`;
      case 'replanned':
        return `Planen ble lagt om: ${count(n, 'steg', 'steg')} ble planlagt på nytt`;
      case 'ordinary':
        return `Ordinær oppfølging ble planlagt med ${count(n, 'steg', 'steg')}`;
      default:
        return `${count(n, 'nytt steg', 'nye steg')} ble planlagt`;
    }
  },
  TaskOpened: (step) => `${step} ble åpnet`,
  TaskDueSoon: (step) => `${step} har snart frist, og en påminnelse ble sendt`,
  TaskOverdue: (step) => `${step} passerte fristen`,
  TaskEscalated: (step) => `${step} ble eskalert til leder`,
  TaskCompleted: (step, d, n) =>
    `${step} ble utført ${day(d.completedOn)}${byWhom(d, n)} (${
      OUTCOME_LABEL[String(d.outcome)]?.toLowerCase() ?? String(d.outcome)
    }${d.hasNote ? ', med notat' : ''})`,
  TaskWaived: (step, d, n) =>
    d.requestId
      ? `${step} ble frafalt etter anmodning fra ${byWhom(d, n).slice(' av '.length)}, medsignert${byWhom(d, n, 'coSignedBy')}. Begrunnelse: ${reasonOf(d)}`
      : `${step} ble frafalt${byWhom(d, n)}${d.coSignedBy ? `, medsignert${byWhom(d, n, 'coSignedBy')}` : ''}. Begrunnelse: ${
          WAIVE_REASON_LABEL[String(d.reason)] ?? String(d.reason)
        }`,
  WaiverRequested: (step, d, n) =>
    `${who(d, n)} ba om frafall av «${step}». Begrunnelse: ${reasonOf(d)}, med skriftlig forklaring. Venter på medsignatur fra leder`,
  WaiverDeclined: (step, d, n) =>
    `${who(d, n)} avslo anmodningen om frafall av «${step}», med begrunnelse. Steget gjelder fortsatt`,
  TaskReassigned: (step, d, n) => {
    const to =
      typeof d.assigneeId === 'string'
        ? (n.nameOf(d.assigneeId) ?? `en ${roleInSentence(String(d.role))}`)
        : `felles kø for ${roleInSentence(String(d.role))}`;
    return `${step} ble gitt til ${to}${byWhom(d, n)}`;
  },
  TaskRescheduled: (step, d) =>
    `${step} fikk ny frist ${day(d.dueOn)} ${RESCHEDULE_WHY[String(d.reason)] ?? `(${String(d.reason)})`}`,
  TaskCancelled: (step, d) => `${step} falt bort ${CANCEL_WHY[String(d.reason)] ?? `(${String(d.reason)})`}`,
  PlacementDateChanged: (_, d, n) =>
    `Innflyttingsdatoen ble endret fra ${day(d.from)} til ${day(d.to)}${byWhom(d, n)}`,
  PlacementTypeChanged: (_, d, n) => {
    const type = (t: unknown) =>
      (PLACEMENT_TYPE_LABEL[t as keyof typeof PLACEMENT_TYPE_LABEL] ?? String(t)).toLowerCase();
    const basis = d.legalBasis as { to?: string } | undefined;
    return `Plasseringstypen ble endret fra ${type(d.from)} til ${type(d.to)}${byWhom(d, n)}${
      basis?.to
        ? `. Nytt rettslig grunnlag: ${LEGAL_BASIS_LABEL[basis.to as keyof typeof LEGAL_BASIS_LABEL] ?? basis.to}`
        : ''
    }`;
  },
  ReductionRecorded: (_, d, n) =>
    `Vedtak om redusert oppfølging ble registrert${byWhom(d, n)}: ${(
      LEDGER_KIND_LABEL[String(d.kind)] ?? String(d.kind)
    ).toLowerCase()} minst ${String(d.minimumPerYear)} i året fra ${day(d.effectiveFrom)}`,
  PlacementPaused: (_, d, n) =>
    `Plasseringen ble satt på pause fra ${day(d.from)}${byWhom(d, n)}. Årsak: ${
      PAUSE_REASON_LABEL[String(d.reason)] ?? String(d.reason)
    }`,
  PlacementResumed: (_, d, n) =>
    `Plasseringen ble gjenopptatt ${day(d.on)}${byWhom(d, n)}, etter ${count(
      Number(d.pausedDays),
      'dag',
      'dager',
    )} på pause`,
  PlacementEnded: (_, d, n) =>
    d.reason === ANNULLED
      ? `Plasseringen ble annullert ${day(d.endedOn)}${byWhom(d, n)}: ${ANNULLED_LABEL.toLowerCase()}`
      : `Plasseringen ble avsluttet ${day(d.endedOn)}${byWhom(d, n)}. Årsak: ${
          END_REASON_LABEL[String(d.reason)] ?? String(d.reason)
        }`,
  PackageCompleted: () => 'Omsorgspakken ble fullført',
  OrdinaryYearPlanned: (_, d) => `Ordinær oppfølging for ${String(d.year)} begynte ${day(d.from)}`,
  SupervisionEndSet: (_, d, n) =>
    typeof d.month === 'string'
      ? `Tilsynet ble satt til å vare ut ${monthLabel(d.month)}${byWhom(d, n)}`
      : `Tilsynets sluttmåned ble fjernet${byWhom(d, n)}`,
};

/** `YYYY-MM` as «mm.yyyy». */
const monthLabel = (month: string): string => `${month.slice(5, 7)}.${month.slice(0, 4)}`;

/** An event of the package's history as a sentence, e.g. "Første besøk i hjemmet ble åpnet". */
export function eventSentence(e: Pick<TimelineEntry, 'type' | 'taskId' | 'details'>, names: HistoryNames) {
  const step = e.taskId ? (names.titleOf(e.taskId) ?? `Steget ${e.taskId}`) : '';
  const sentence = Object.hasOwn(EVENT_SENTENCES, e.type) ? EVENT_SENTENCES[e.type] : undefined;
  return sentence ? `${sentence(step, e.details, names)}.` : `Hendelse av ukjent type (${e.type}).`;
}

/** What an access did, as a verb phrase in the past ("så …") and the infinitive ("se …"). */
interface Deed {
  readonly did: string;
  readonly do: string;
}
const deed = (did: string, infinitive: string): Deed => ({ did, do: infinitive });

/**
 * Every route of libs/security/policy.ts that can land in a child's access log (those on a placement or
 * task, and the listings that name the child) as a deed (unit test: each has one).
 */
export const ROUTE_DEEDS: Readonly<Record<string, Deed>> = {
  'GET /api/placements/{placementId}': deed('så plasseringen', 'se plasseringen'),
  'GET /api/placements/{placementId}/commands/{commandId}': deed(
    'så om en endring av plasseringen var utført',
    'se om en endring av plasseringen var utført',
  ),
  'GET /api/placements/{placementId}/timeline': deed('så hendelsesloggen', 'se hendelsesloggen'),
  'GET /api/placements/{placementId}/ledger': deed('så besøksregnskapet', 'se besøksregnskapet'),
  'GET /api/placements/{placementId}/access-log': deed('så tilgangsloggen', 'se tilgangsloggen'),
  'GET /api/placements/{placementId}/personal-data': deed(
    'så barnets opplysninger',
    'se barnets opplysninger',
  ),
  'PUT /api/placements/{placementId}/personal-data': deed(
    'endret barnets opplysninger',
    'endre barnets opplysninger',
  ),
  'POST /api/placements/{placementId}/personal-data/purge': deed(
    'slettet barnets opplysninger',
    'slette barnets opplysninger',
  ),
  'PUT /api/placements/{placementId}/case-number': deed('endret saksnummeret', 'endre saksnummeret'),
  'POST /api/placements': deed('registrerte plasseringen', 'registrere plasseringen'),
  'POST /api/placements/{placementId}/pause': deed(
    'satte plasseringen på pause',
    'sette plasseringen på pause',
  ),
  'POST /api/placements/{placementId}/resume': deed('gjenopptok plasseringen', 'gjenoppta plasseringen'),
  'POST /api/placements/{placementId}/end': deed('avsluttet plasseringen', 'avslutte plasseringen'),
  'POST /api/placements/{placementId}/annul': deed(
    'annullerte plasseringen (registrert ved feil)',
    'annullere plasseringen',
  ),
  'POST /api/placements/{placementId}/change': deed('endret plasseringen', 'endre plasseringen'),
  'POST /api/placements/{placementId}/change/preview': deed(
    'så hva en endring av plasseringen ville gjøre med planen',
    'se hva en endring av plasseringen ville gjøre med planen',
  ),
  'POST /api/placements/{placementId}/reductions': deed(
    'registrerte redusert oppfølging',
    'registrere redusert oppfølging',
  ),
  'POST /api/placements/{placementId}/ad-hoc-tasks': deed(
    'la til et ekstra steg',
    'legge til et ekstra steg',
  ),
  'GET /api/tasks': deed('så plasseringen i en oppgaveliste', 'se plasseringen i en oppgaveliste'),
  'GET /api/tasks/{placementId}/{taskId}': deed('så en oppgave', 'se en oppgave'),
  'GET /api/tasks/{placementId}/{taskId}/assignees': deed(
    'så hvem en oppgave kan gis til',
    'se hvem en oppgave kan gis til',
  ),
  'GET /api/tasks/{placementId}/{taskId}/notes': deed(
    'leste notatene til en oppgave',
    'lese notatene til en oppgave',
  ),
  'POST /api/tasks/{placementId}/{taskId}/notes': deed(
    'skrev et notat til en oppgave',
    'skrive et notat til en oppgave',
  ),
  'GET /api/tasks/{placementId}/{taskId}/foster-family': deed(
    'så fosterfamiliens kontaktopplysninger',
    'se fosterfamiliens kontaktopplysninger',
  ),
  'POST /api/tasks/{placementId}/{taskId}/claim': deed('tok en oppgave', 'ta en oppgave'),
  'POST /api/tasks/{placementId}/{taskId}/unclaim': deed(
    'la en oppgave tilbake i felles kø',
    'legge en oppgave tilbake i felles kø',
  ),
  'POST /api/tasks/{placementId}/{taskId}/reassign': deed(
    'ga en oppgave til en annen',
    'gi en oppgave til en annen',
  ),
  'POST /api/tasks/{placementId}/{taskId}/complete': deed('utførte en oppgave', 'utføre en oppgave'),
  'POST /api/tasks/{placementId}/{taskId}/waive': deed('frafalt en oppgave', 'frafalle en oppgave'),
  'POST /api/tasks/{placementId}/{taskId}/waiver-request': deed(
    'ba om frafall av et lovpålagt steg',
    'be om frafall av et lovpålagt steg',
  ),
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/cosign': deed(
    'medsignerte frafall av et lovpålagt steg',
    'medsignere frafall av et lovpålagt steg',
  ),
  'POST /api/tasks/{placementId}/{taskId}/waiver-request/decline': deed(
    'avslo en anmodning om frafall',
    'avslå en anmodning om frafall',
  ),
  'GET /api/tasks/{placementId}/{taskId}/waiver': deed(
    'så begrunnelsen for frafall av et steg',
    'se begrunnelsen for frafall av et steg',
  ),
  'GET /api/waiver-requests': deed(
    'så plasseringen i listen over anmodninger om frafall',
    'se plasseringen i listen over anmodninger om frafall',
  ),
  'GET /calendar/{token}.ics': deed(
    'hentet kalenderen sin med plasseringens oppgaver',
    'hente kalenderen sin med plasseringens oppgaver',
  ),
  'GET /api/adherence/statutory-risk': deed(
    'så plasseringen i listen over lovpålagte besøk i fare',
    'se plasseringen i listen over lovpålagte besøk i fare',
  ),
};

/**
 * The writes to the package, logged by the event store as `event:<type>` (activities/package-store.ts):
 * one deed per event type of libs/domain/events.ts (unit test: every type has one).
 */
export const EVENT_DEEDS: Readonly<Record<string, Deed>> = {
  PlacementRegistered: deed('registrerte plasseringen', 'registrere plasseringen'),
  TasksPlanned: deed('planla steg i omsorgspakken', 'planlegge steg i omsorgspakken'),
  TaskOpened: deed('åpnet et steg', 'åpne et steg'),
  TaskDueSoon: deed('sendte påminnelse om et steg', 'sende påminnelse om et steg'),
  TaskOverdue: deed('markerte et steg som forsinket', 'markere et steg som forsinket'),
  TaskEscalated: deed('eskalerte et steg', 'eskalere et steg'),
  TaskCompleted: deed('registrerte et steg som utført', 'registrere et steg som utført'),
  TaskWaived: deed('frafalt et steg', 'frafalle et steg'),
  WaiverRequested: deed('ba om frafall av et steg', 'be om frafall av et steg'),
  WaiverDeclined: deed('avslo en anmodning om frafall', 'avslå en anmodning om frafall'),
  TaskReassigned: deed('ga et steg til en annen', 'gi et steg til en annen'),
  TaskRescheduled: deed('flyttet fristen for et steg', 'flytte fristen for et steg'),
  TaskCancelled: deed('lot et steg falle bort', 'la et steg falle bort'),
  PlacementDateChanged: deed('endret innflyttingsdatoen', 'endre innflyttingsdatoen'),
  PlacementTypeChanged: deed('endret plasseringstypen', 'endre plasseringstypen'),
  ReductionRecorded: deed('registrerte redusert oppfølging', 'registrere redusert oppfølging'),
  PlacementPaused: deed('satte plasseringen på pause', 'sette plasseringen på pause'),
  PlacementResumed: deed('gjenopptok plasseringen', 'gjenoppta plasseringen'),
  PlacementEnded: deed('avsluttet plasseringen', 'avslutte plasseringen'),
  PackageCompleted: deed('fullførte omsorgspakken', 'fullføre omsorgspakken'),
  OrdinaryYearPlanned: deed('planla et år med ordinær oppfølging', 'planlegge et år med ordinær oppfølging'),
  SupervisionEndSet: deed('endret når tilsynet slutter', 'endre når tilsynet slutter'),
};

const deedOf = (action: string): Deed | undefined => {
  if (action.startsWith('event:')) {
    const type = action.slice('event:'.length);
    return Object.hasOwn(EVENT_DEEDS, type) ? EVENT_DEEDS[type] : undefined;
  }
  return Object.hasOwn(ROUTE_DEEDS, action) ? ROUTE_DEEDS[action] : undefined;
};

/** Whom an access log entry names: "Åse Myhre (leder)", by user id when the name is not known. */
export function accessWho(e: Pick<AccessLogEntry, 'name' | 'userId' | 'roles'>): string {
  const who = e.name ?? e.userId ?? 'Ukjent bruker';
  return e.roles.length > 0 ? `${who} (${e.roles.map(roleInSentence).join(', ')})` : who;
}

/** An access log entry as a sentence, e.g. "Åse Myhre (leder) så barnets opplysninger 05.12.2026 kl. 10.14". */
export function accessSentence(
  e: Pick<AccessLogEntry, 'at' | 'name' | 'userId' | 'roles' | 'action' | 'outcome'>,
) {
  const when = formatLogInstant(e.at);
  const d = deedOf(e.action) ?? deed('brukte plasseringen', 'bruke plasseringen');
  switch (e.outcome) {
    case 'allowed':
      return `${accessWho(e)} ${d.did} ${when}.`;
    case 'forbidden':
      return `${accessWho(e)} prøvde å ${d.do} ${when}, men ble avvist.`;
    case 'hidden':
      return `${accessWho(e)} prøvde å ${d.do} ${when}, men har ikke tilgang til plasseringen.`;
    case 'unauthenticated':
      return `Noen som ikke var logget inn, prøvde å ${d.do} ${when}, men ble avvist.`;
  }
}
