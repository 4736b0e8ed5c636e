import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordPerson, resolveLogin } from '../../../libs/notifications/index.js';
import { DEMO_USERS, demoPrincipal, type LocalIssuer, type Principal } from '../../../libs/security/index.js';
import { LOCAL_ISSUER } from './auth.tokens.js';
import { PeopleNames } from './people-names.service.js';

/** Entries remembered per API process: a busy user costs one write per interval, not one per request. */
const REMEMBER_MS = 10 * 60_000;
const MAX_REMEMBERED = 50_000;

/**
 * Keeps the `people` table (libs/notifications/people.ts) up to date from verified principals: the auth
 * guard calls `seen` on every authenticated request. Notifications are secondary: a failure here is
 * logged and the request goes on.
 */
@Injectable()
export class PeopleService implements OnModuleInit {
  private readonly logger = new Logger('People');
  private readonly remembered = new Map<string, { fingerprint: string; at: number; userId: string }>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOCAL_ISSUER) private readonly local: LocalIssuer | null,
    private readonly names: PeopleNames,
  ) {}

  /** With the local issuer on (never in production): the demo users, with their demo addresses. */
  async onModuleInit(): Promise<void> {
    if (!this.local) return;
    for (const user of DEMO_USERS)
      await recordPerson(this.dataSource, demoPrincipal(user)).catch((error: unknown) =>
        this.logger.warn({ err: error }, 'demo people not written'),
      );
  }

  /**
   * The verified principal as the person it is: a first login of someone in the directory (added by an
   * administrator or provisioned with SCIM) is matched to them (libs/notifications/directory.ts), and
   * from then on acts under their directory user id, so tasks given to them before are theirs.
   */
  async seen(verified: Principal): Promise<Principal> {
    const key = `${verified.issuer}\u001f${verified.userId}`;
    const fingerprint = JSON.stringify([
      verified.organisation,
      [...verified.roles].sort(),
      verified.network ?? null,
      verified.email ?? null,
      verified.name ?? null,
    ]);
    const now = Date.now();
    const last = this.remembered.get(key);
    if (last && last.fingerprint === fingerprint && now - last.at < REMEMBER_MS)
      return this.as(verified, last.userId);
    try {
      const userId = await this.dataSource.transaction((m) => resolveLogin(m, verified));
      const principal = this.as(verified, userId);
      if (principal.name) this.names.remember(principal.userId, principal.name);
      await recordPerson(this.dataSource, principal);
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.set(key, { fingerprint, at: now, userId });
      return principal;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not record the person');
      return verified;
    }
  }

  /**
   * Whether the person a login belongs to is deactivated (SCIM `active: false`, the people page, or a
   * SCIM DELETE of someone who had logged in): `unknown` when no person has that login yet. Read on every
   * request, never remembered: a deactivation holds at once, in every API process (one indexed lookup,
   * people_subject_key).
   */
  async status(issuer: string, subject: string): Promise<'active' | 'inactive' | 'unknown'> {
    const [row] = await this.dataSource.query<{ active: boolean }[]>(
      `SELECT active FROM people WHERE issuer = $1 AND subject = $2`,
      [issuer, subject],
    );
    return row ? (row.active ? 'active' : 'inactive') : 'unknown';
  }

  private as(verified: Principal, userId: string): Principal {
    return userId === verified.userId ? verified : Object.freeze({ ...verified, userId });
  }
}
