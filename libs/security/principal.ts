import { ROLES, type Role } from '../domain/vocabulary.js';

/** Who is asking: taken only from a verified token. */
export interface Principal {
  /** Opaque user id (`sub`). */
  readonly userId: string;
  readonly roles: readonly Role[];
  /** The organisation (service id) the token's issuer is mapped to. */
  readonly organisation: string;
  /** Learning network (`network` claim), for foster-home resources and network leads. */
  readonly network?: string;
  readonly issuer: string;
  /** The `email` claim, when the token has a well-formed one: where notifications go (libs/notifications). */
  readonly email?: string;
  /**
   * The OIDC `name` claim, trimmed, when it is a string of 1–120 characters: the display name shown to
   * colleagues (who can take a task). Ordinary personal data: never logged.
   */
  readonly name?: string;
  /**
   * The `preferred_username` claim (e.g. the user principal name Entra ID sends), when well-formed: with
   * `email`, how a first login is matched to a person an administrator or SCIM added beforehand.
   */
  readonly userName?: string;
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
