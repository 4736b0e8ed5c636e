import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { CommandRejected, type RejectionCode } from '../../../libs/domain/package/rejection.js';
import { PackageClosedError } from '../../../libs/temporal/index.js';
import { isNotFound } from '../../../libs/temporal/update-outcome.js';
import { ProblemException } from '../common/problem.js';
import type { CommandSubject } from './command-pending.js';

const STATUS: Readonly<Record<RejectionCode, number>> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  'not-allowed': 403,
};

/** A rejection's field reason, in bokmål (the workflow's message, the problem's detail, says more). */
const REASON: Readonly<Record<RejectionCode, string>> = {
  invalid: 'ugyldig verdi',
  'not-found': 'finnes ikke',
  conflict: 'passer ikke med plasseringens tilstand',
  'not-allowed': 'ikke tillatt for deg',
};

/**
 * A command the workflow rejected (ApplicationFailure type CommandRejected, details [{code, field}])
 * becomes problem+json with its status and field; the workflow's message is user-facing bokmål.
 * Anything else from Temporal is the engine being unavailable: 503.
 */
export function toProblem(error: unknown, subject?: CommandSubject): Error {
  if (error instanceof CommandRejected)
    // Decided in the API itself, by the same domain rules the workflow applies (a preview).
    return new ProblemException(
      STATUS[error.code],
      error.message,
      error.field ? [{ field: error.field, reason: REASON[error.code] }] : undefined,
    );
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : error;
  if (failure instanceof ApplicationFailure && failure.type === 'CommandRejected') {
    const [detail] = (failure.details ?? []) as { code?: RejectionCode; field?: string }[];
    const status = (detail?.code && STATUS[detail.code]) ?? 400;
    return new ProblemException(
      status,
      failure.message,
      detail?.field
        ? [{ field: detail.field, reason: REASON[detail.code ?? 'invalid'] ?? REASON.invalid }]
        : undefined,
    );
  }
  if (error instanceof ProblemException) return error;
  // Access was checked on the read model first, so the placement exists; its workflow is not running.
  if (error instanceof PackageClosedError)
    return error.status === 'COMPLETED'
      ? new ProblemException(409, 'Plasseringen er avsluttet og kan ikke endres.')
      : error.status === 'RUNNING' // it continued as new in between: a retry reaches the new run
        ? new ProblemException(503, 'Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.')
        : new ProblemException(
            409,
            'Oppfølgingspakken til plasseringen er stanset av en feil og tar ikke imot endringer. Kontakt brukerstøtte.',
          );
  // An assignment the read model knows whose workflow is gone has finished (declined, or ended): its
  // workflow ends then, and an Update to a closed workflow finds none.
  if (subject?.kind === 'assignment' && isNotFound(error))
    return new ProblemException(409, 'Oppdraget er avsluttet og kan ikke endres.');
  // No workflow at all for a placement the read model knows: never "ended".
  if (error instanceof WorkflowNotFoundError)
    return new ProblemException(404, 'Fant ikke oppfølgingspakken til plasseringen.');
  return new ProblemException(503, 'Tjenesten er midlertidig utilgjengelig. Prøv igjen om litt.');
}
