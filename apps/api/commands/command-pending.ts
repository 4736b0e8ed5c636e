import { HttpException } from '@nestjs/common';

/** What a command goes to: a placement's workflow or a kompetansebase assignment's. */
export interface CommandSubject {
  readonly kind: 'placement' | 'assignment';
  readonly id: string;
}

/** Where the status of a command on a subject is looked up. */
const STATUS_PATH: Readonly<Record<CommandSubject['kind'], (id: string) => string>> = {
  placement: (id) => `/api/placements/${id}/commands`,
  assignment: (id) => `/api/kompetansebase/assignments/${id}/commands`,
};
/** The field that names the subject in the 202 answer (CommandPendingDto, AssignmentCommandPendingDto). */
const ID_FIELD: Readonly<Record<CommandSubject['kind'], string>> = {
  placement: 'placementId',
  assignment: 'assignmentId',
};

/**
 * A command whose outcome is not known when the API stops waiting (COMMAND_TIMEOUT_MS): it reached the
 * engine and may still take effect, so the answer is neither success nor failure but 202 Accepted with
 * the command's id and where to look it up (`GET /api/placements/{placementId}/commands/{commandId}`,
 * `GET /api/kompetansebase/assignments/{assignmentId}/commands/{commandId}`).
 * Sending the same request again with the same Idempotency-Key is safe too: it has one effect.
 */
export class CommandPending extends HttpException {
  constructor(
    readonly commandId: string,
    readonly subject: CommandSubject,
  ) {
    super(
      {
        status: 'pending',
        commandId,
        [ID_FIELD[subject.kind]]: subject.id,
        detail:
          'Kommandoen er tatt imot, men utfallet er ikke klart ennå. Se etter den på adressen i Location, ' +
          'eller send den samme forespørselen med samme Idempotency-Key igjen.',
      },
      202,
    );
  }

  get location(): string {
    return `${STATUS_PATH[this.subject.kind](this.subject.id)}/${this.commandId}`;
  }
}
