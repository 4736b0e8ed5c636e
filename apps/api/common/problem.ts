import { HttpException } from '@nestjs/common';

/** RFC 9457 problem details. Titles and details are user-facing: Norwegian bokmål. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  /** Which field was wrong and why (problem+json extension member). */
  readonly errors?: readonly FieldError[];
}

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

export const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: 'Ugyldig forespørsel',
  401: 'Ikke innlogget',
  403: 'Ingen tilgang',
  404: 'Ikke funnet',
  405: 'Metoden er ikke tillatt',
  409: 'Konflikt',
  413: 'Forespørselen er for stor',
  415: 'Innholdstypen støttes ikke',
  422: 'Kan ikke behandles',
  429: 'For mange forespørsler',
  500: 'Intern feil',
  503: 'Tjenesten er midlertidig utilgjengelig',
};

/** Throw to answer with a specific problem. */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail?: string,
    readonly errors?: readonly FieldError[],
    readonly problemType = 'about:blank',
  ) {
    super(detail ?? PROBLEM_TITLES[status] ?? 'Feil', status);
  }
}

/** RFC 9457 `instance`: the request id as a URN, so a user's report can be matched to the logs. */
export const problemInstance = (request: { id?: unknown }): string | undefined =>
  typeof request.id === 'string' || typeof request.id === 'number'
    ? `urn:omsorgspakken:request:${String(request.id)}`
    : undefined;
