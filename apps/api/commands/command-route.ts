import { applyDecorators } from '@nestjs/common';
import { ApiAcceptedResponse, ApiHeader } from '@nestjs/swagger';
import { IdempotencyKeyHeader } from '../common/idempotency.js';
import { UuidParam } from '../common/params.js';
import { AssignmentCommandPendingDto, CommandPendingDto } from './commands.dto.js';

/** The placement a command is about (a UUID path parameter: anything else is a 400 naming it). */
export const PlacementIdParam = () => UuidParam('placementId');
/** The command's Idempotency-Key header, checked. */
export const IdempotencyKeyValue = () => IdempotencyKeyHeader();

/**
 * Every command: an Idempotency-Key (required), and the 202 it answers when its outcome is not known
 * within the API's wait (the command may still take effect; look it up, or send it again with the key).
 * `pending` is the 202's body: CommandPendingDto on a placement, AssignmentCommandPendingDto on a
 * kompetansebase assignment.
 */
export const CommandRoute = (
  pending: typeof CommandPendingDto | typeof AssignmentCommandPendingDto = CommandPendingDto,
) =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: true,
      description:
        '8–100 characters (a–z, A–Z, 0–9, - and _). Repeat the request with the same key: it has one ' +
        'effect, and the answer says whether the command took effect (`applied`) and that it was a repeat.',
    }),
    ApiAcceptedResponse({
      type: pending,
      description:
        'Taken in, outcome not known yet (the command may still take effect): `Location` says where to ' +
        'look it up; sending the same request with the same key again is safe too.',
    }),
  );
