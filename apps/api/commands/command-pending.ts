import { HttpException } from '@nestjs/common';

/**
 * A command whose outcome is not known when the API stops waiting (COMMAND_TIMEOUT_MS): it reached the
 * engine and may still take effect, so the answer is neither success nor failure but 202 Accepted with
 * the command's id and where to look it up (`GET /api/placements/{placementId}/commands/{commandId}`).
 * Sending the same request again with the same Idempotency-Key is safe too: it has one effect.
 */
export class CommandPending extends HttpException {
  constructor(
    readonly commandId: string,
    readonly placementId: string,
  ) {
    super(
      {
        status: 'pending',
        commandId,
        placementId,
        detail:
          'Kommandoen er tatt imot, men utfallet er ikke klart ennå. Se etter den på adressen i Location, ' +
          'eller send den samme forespørselen med samme Idempotency-Key igjen.',
      },
      202,
    );
  }

  get location(): string {
    return `/api/placements/${this.placementId}/commands/${this.commandId}`;
  }
}
