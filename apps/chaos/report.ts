/*
 * What a chaos run found (apps/chaos/verify.ts counts it), and which of it is a failure.
 */

export interface ChaosReport {
  readonly seconds: number;
  readonly kills: Readonly<Record<string, number>>;
  readonly commands: {
    readonly sent: number;
    /** Answered with their outcome: applied (2xx) or refused (4xx). */
    readonly acknowledged: number;
    readonly refused: number;
    /** Never answered with an outcome before the client gave up (202/503 to the end). */
    readonly unanswered: number;
  };
  /** Acknowledged as applied, whose events are stored exactly once. */
  readonly presentOnce: number;
  /** Acknowledged as applied, with no events. */
  readonly lost: number;
  /** Acknowledged, with their effect stored more than once. */
  readonly duplicated: number;
  /** Refused, yet with events. */
  readonly refusedApplied: number;
  /** Events caused by a command id no client ever got in an answer. */
  readonly appliedWithoutRecord: number;
  readonly placements: number;
  /** Placements whose workflow did not take a last command. */
  readonly stuck: number;
  readonly readModelsEqualReplay: boolean;
  /** Placements whose workflow state differs from the fold of their events. */
  readonly workflowsDiffering: number;
}

/** What a report says went wrong (empty: all checks passed). */
export function failures(report: ChaosReport): string[] {
  return [
    report.lost > 0 && `${report.lost} acknowledged commands lost`,
    report.duplicated > 0 && `${report.duplicated} commands with their effect stored twice`,
    report.refusedApplied > 0 && `${report.refusedApplied} refused commands applied`,
    report.appliedWithoutRecord > 0 && `${report.appliedWithoutRecord} commands applied without a record`,
    report.stuck > 0 && `${report.stuck} placements could not take a command`,
    !report.readModelsEqualReplay && 'the read models differ from a replay of the events',
    report.workflowsDiffering > 0 && `${report.workflowsDiffering} workflows differ from their stream`,
  ].filter((f): f is string => typeof f === 'string');
}
