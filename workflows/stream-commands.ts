import { ApplicationFailure, condition } from '@temporalio/workflow';
import { CommandRejected } from '../libs/domain/package/rejection.js';
import type { EventStream } from './event-stream.js';

/** What every command on a stream returns: its version after it (for optimistic concurrency in the API). */
export interface StreamCommandResult {
  readonly version: number;
  /** The command took effect (by this request, or by the first of its repeats). */
  readonly applied: boolean;
  /** This request repeated one already carried out (same command id): nothing happened again. */
  readonly repeated?: boolean;
}

/** A rejection as the Update's failure: type CommandRejected, code and field in its details. */
export function toFailure(error: unknown): unknown {
  if (error instanceof CommandRejected) {
    return ApplicationFailure.create({
      type: 'CommandRejected',
      message: error.message,
      details: [{ code: error.code, field: error.field }],
      nonRetryable: true,
    });
  }
  return error;
}

/** A command's Update handler and its validator (which refuses before anything reaches history). */
export interface CommandHandler<C, R> {
  readonly validator: (cmd: C) => void;
  readonly handler: (cmd: C) => Promise<R>;
}

/**
 * A command handler on a stream: the validator rejects bad input before anything reaches history; the
 * handler decides again on the state it finds when its turn comes, commits, and returns the version.
 * A repeat (same command id) is accepted and answers the first request's outcome without a second effect.
 * A command that arrives before the stream's first record is folded (a new worker retrying the first
 * workflow task after the last one died, its append stored but not yet read back) is not refused as «not
 * registered yet»: it is accepted and decided once the record is there.
 */
export function streamCommand<
  S extends { readonly version: number },
  E,
  C extends { commandId: string },
  X extends object = object,
>(
  stream: EventStream<S, E>,
  validate: (s: S, cmd: C) => void,
  run: (s: S, cmd: C) => Promise<X | void>,
): CommandHandler<C, StreamCommandResult & Partial<X>> {
  const { current } = stream;
  return {
    validator: (cmd: C) => {
      if (!cmd || typeof cmd.commandId !== 'string')
        throw new CommandRejected('invalid', 'Mangler commandId.', 'commandId');
      if (stream.seen(cmd.commandId) || stream.state === undefined) return;
      try {
        validate(current(), cmd);
      } catch (error) {
        throw toFailure(error);
      }
    },
    handler: async (cmd: C) => {
      await condition(() => stream.state !== undefined);
      return stream.exclusive(async () => {
        if (stream.seen(cmd.commandId))
          return {
            version: stream.versionAfter(cmd.commandId) ?? current().version,
            applied: true,
            repeated: true,
          } as StreamCommandResult & Partial<X>;
        try {
          const extra = (await run(current(), cmd)) ?? {};
          stream.remember(cmd.commandId, current().version);
          return {
            version: current().version,
            applied: true,
            repeated: false,
            ...extra,
          } as StreamCommandResult & Partial<X>;
        } catch (error) {
          throw toFailure(error);
        }
      });
    },
  };
}
