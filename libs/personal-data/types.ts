/** Identifying details of a placement, kept apart from events, read models and workflow payloads. */
export interface PersonalDetails {
  readonly child: {
    readonly name: string;
    readonly birthDate?: string;
    /** `YYYY-MM`: the only birth fact the engine needs (it gets the month supervision ends from it). */
    readonly birthYearMonth?: string;
    /** Fødselsnummer or D-nummer (11 digits). */
    readonly nationalId?: string;
  };
  readonly parents: readonly Contact[];
  readonly fosterFamily: readonly Contact[];
}

export interface Contact {
  readonly name: string;
  readonly relation?: string;
  readonly phone?: string;
  readonly email?: string;
  /** Postal or visiting address (a foster home's, for those who visit it). */
  readonly address?: string;
}

export interface TaskNote {
  readonly noteId: string;
  readonly taskId: string;
  readonly authorId: string;
  readonly authorRole: string;
  readonly at: string;
  readonly text: string;
}

/** What a text on a task is: a note people write, a waiver request's justification, a decline's reason. */
export type TaskTextKind = 'note' | 'waiver-justification' | 'waiver-decline';
