/** The API's answers the web app reads (see docs/openapi.json). */

export type Role =
  | 'fosterhjemsressurs'
  | 'kontaktperson'
  | 'leder'
  | 'tilsynsforer'
  | 'bufetat'
  | 'laeringsnettverksleder'
  | 'admin'
  | 'kompetansebase-veileder'
  | 'kompetansebase-leder';
export type Track = 'barnet' | 'foreldrene' | 'fosterfamilien' | 'administrativt';
export type TaskStatus = 'planned' | 'open' | 'due-soon' | 'overdue' | 'completed' | 'waived' | 'cancelled';
export type PlacementType = 'omsorgsovertakelse' | 'frivillig' | 'akutt' | 'slekt-nettverk';
export type LegalBasis = 'omsorgsovertakelse' | 'frivillig';

export interface Me {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly organisation: string;
  readonly network?: string;
  /** Display name, when the login carries one. */
  readonly name?: string;
}

/** Someone a task can be given to (GET /api/tasks/{placementId}/{taskId}/assignees). */
export interface Assignee {
  readonly userId: string;
  /** Unknown when their login carries no name: show the id instead. */
  readonly name?: string;
  readonly roles: readonly Role[];
}

export interface Task {
  /** A placement's task (the API says so on every one; absent in older test data). */
  readonly caseKind?: 'placement';
  readonly placementId: string;
  /** The service's own case number: only for staff of the owning service, when one was entered. */
  readonly caseNumber?: string;
  readonly taskId: string;
  readonly stepId: string;
  readonly occurrence: number;
  readonly title: string;
  readonly track: Track;
  readonly role: Role;
  readonly origin: string;
  readonly assigneeId: string | null;
  readonly assigneeName?: string;
  readonly opensOn: string;
  readonly dueOn: string;
  readonly status: TaskStatus;
  readonly escalated: boolean;
  /** Already overdue when the placement was registered (late): escalates after the registration grace. */
  readonly overdueAtRegistration: boolean;
  readonly completedOn: string | null;
  readonly outcome: string | null;
  readonly statutory: string | null;
  readonly childRef: string;
  readonly serviceId: string;
  /** A step that needs a leader's co-signature: its last waiver request, when one was made. */
  readonly waiver?: WaiverRecord;
}

/** A kompetansebase assignment's task in the inbox (issue 17): no placement, no child. */
export interface AssignmentTask {
  readonly caseKind: 'kompetansebase';
  readonly assignment: {
    readonly assignmentId: string;
    readonly requestType: string;
    readonly requestTypeLabel: string;
    readonly orderingServiceId: string;
    readonly orderingServiceName?: string;
  };
  readonly taskId: string;
  readonly stepId: string;
  readonly occurrence: number;
  readonly title: string;
  readonly role: Role;
  readonly assigneeId: string | null;
  readonly dueOn: string;
  readonly status: TaskStatus;
  readonly escalated: boolean;
  readonly overdueAtRegistration: boolean;
  readonly completedOn: string | null;
}

/** A row of the inbox: a placement's task or an assignment's. */
export type InboxItem = Task | AssignmentTask;

export const isAssignmentTask = (t: InboxItem): t is AssignmentTask => t.caseKind === 'kompetansebase';
export const isPlacementTask = (t: InboxItem): t is Task => t.caseKind !== 'kompetansebase';

export interface WaiverActor {
  readonly userId: string;
  readonly role: Role;
  readonly name?: string;
}

/** The last request to waive a task and what became of it (codes and people; no free text). */
export interface WaiverRecord {
  readonly status: 'requested' | 'cosigned' | 'declined';
  readonly requestId: string;
  readonly reason: string;
  readonly requestedBy: WaiverActor;
  readonly requestedAt: string;
  readonly decidedBy?: WaiverActor;
  readonly decidedAt?: string;
}

/** A waiver record with its texts, read on demand (logged). */
export interface WaiverDetail extends WaiverRecord {
  readonly justification?: string;
  readonly declineReason?: string;
}

export interface Placement {
  readonly placementId: string;
  readonly caseNumber: string | null;
  readonly childRef: string;
  readonly serviceId: string;
  readonly municipalityId: string;
  readonly placementType: PlacementType;
  readonly legalBasis: LegalBasis | null;
  readonly placementDate: string;
  readonly catalogVersion: string;
  readonly status: 'active' | 'paused' | 'ended' | 'completed';
  readonly pausedFrom: string | null;
  readonly version: number;
  readonly endedOn: string | null;
  readonly endReason: string | null;
  readonly bufetatHelp: boolean;
}

/** A placement's status in the list: the package's, with an annulment (registered by mistake) apart. */
export type PlacementListStatus = 'active' | 'paused' | 'ended' | 'annulled' | 'completed';

/** A row of GET /api/placements. */
export interface PlacementListItem {
  readonly placementId: string;
  readonly caseNumber: string | null;
  readonly status: PlacementListStatus;
  readonly placementDate: string;
  readonly pausedFrom: string | null;
  readonly endedOn: string | null;
  /** null: in the package; else the year of ordinary follow-up begun last. */
  readonly ordinaryYear: number | null;
  readonly openTasks: number;
  readonly overdueTasks: number;
  readonly nextDueOn: string | null;
}

export interface TimelineEntry {
  readonly streamVersion: number;
  readonly type: string;
  readonly at: string;
  readonly taskId: string | null;
  readonly details: Record<string, unknown>;
}

export interface LedgerEntry {
  readonly year: number;
  readonly kind: 'oppfolgingsbesok' | 'tilsynsbesok';
  readonly activeDays: number;
  readonly required: number;
  readonly planned: number;
  readonly completed: number;
  readonly waived: number;
}

export interface AccessLogEntry {
  readonly at: string;
  readonly userId: string | null;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly organisation: string | null;
  readonly action: string;
  readonly outcome: 'allowed' | 'forbidden' | 'hidden' | 'unauthenticated';
}

export interface PlanChange {
  readonly moved: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  readonly replaced: readonly { taskId: string; title: string; fromDueOn: string; toDueOn: string }[];
  readonly added: readonly { taskId: string; title: string; dueOn: string }[];
  readonly cancelled: readonly { taskId: string; title: string; dueOn: string }[];
  readonly kept: number;
}

/** One step of a previewed change, with why it moves and whether it would be overdue at once. */
export interface PreviewStep {
  readonly taskId: string;
  readonly title: string;
  readonly kind: 'moved' | 'replaced' | 'added' | 'cancelled';
  readonly fromDueOn: string | null;
  readonly toDueOn: string | null;
  readonly reasons: readonly (
    'placement-date' | 'placement-type' | 'legal-basis' | 'statutory-rule' | 'working-day'
  )[];
  readonly becomesOverdue: boolean;
}

export interface AdherenceCell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly placements?: number;
  readonly due?: number;
  readonly waived?: number;
  readonly completed?: number;
  readonly onTime?: number;
  readonly onTimeRate?: number | null;
  readonly completionRate?: number | null;
  readonly overdue?: number;
}

export interface AdherenceReport {
  readonly scope: 'network' | 'service';
  readonly from: string;
  readonly to: string;
  readonly reportDate: string;
  /** The instant of the facts; for a learning-network lead, when the quarter was published. */
  readonly asOf?: string;
  readonly by: string;
  readonly suppression: boolean;
  readonly total: AdherenceCell;
  readonly rows: readonly AdherenceCell[];
}

export interface ComplianceCell {
  readonly key: string;
  readonly label: string;
  readonly suppressed: boolean;
  readonly placements?: number;
  readonly followUpCompliant?: number;
  readonly followUpRate?: number | null;
  readonly supervisionCompliant?: number;
  readonly supervisionRate?: number | null;
}

export interface ComplianceReport {
  readonly scope: 'network' | 'service';
  readonly year: number;
  readonly suppression: boolean;
  readonly total: ComplianceCell;
  readonly rows: readonly ComplianceCell[];
}

export interface StatutoryRisk {
  readonly placementId: string;
  readonly caseNumber?: string;
  readonly year: number;
  readonly kind: 'oppfolgingsbesok' | 'tilsynsbesok';
  readonly required: number;
  readonly completed: number;
  /** Waived visits due this year (co-signed): not visits; only a recorded reduction lowers `required`. */
  readonly waived: number;
  readonly remaining: number;
  readonly plannedAhead: number;
  readonly overdue: number;
  readonly saveBy: string;
  readonly level: 'kritisk' | 'risiko' | 'brutt';
}

export interface Municipality {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly serviceId: string | null;
}

export interface CatalogSummary {
  readonly version: string;
  readonly description?: string;
}
