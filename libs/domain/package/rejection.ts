/**
 * A command that cannot be carried out. `message` is shown to the user (Norwegian bokmål); `field`
 * names the offending input; `code` is stable for clients and maps to an HTTP status in the API.
 */
export type RejectionCode =
  | 'invalid' // 400: the input itself is wrong
  | 'not-found' // 404: no such task
  | 'conflict' // 409: the state moved on (version) or the task is already closed
  | 'not-allowed'; // 403/422: a rule forbids it (e.g. co-signature missing)

export class CommandRejected extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CommandRejected';
  }
}

export function reject(code: RejectionCode, message: string, field?: string): never {
  throw new CommandRejected(code, message, field);
}
