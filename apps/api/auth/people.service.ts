import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordPerson } from '../../../libs/notifications/index.js';
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
  private readonly remembered = new Map<string, { fingerprint: string; at: number }>();

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

  async seen(principal: Principal): Promise<void> {
    if (principal.name) this.names.remember(principal.userId, principal.name);
    const key = `${principal.issuer}\u001f${principal.userId}`;
    const fingerprint = JSON.stringify([
      principal.organisation,
      [...principal.roles].sort(),
      principal.network ?? null,
      principal.email ?? null,
      principal.name ?? null,
    ]);
    const now = Date.now();
    const last = this.remembered.get(key);
    if (last && last.fingerprint === fingerprint && now - last.at < REMEMBER_MS) return;
    try {
      await recordPerson(this.dataSource, principal);
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.set(key, { fingerprint, at: now });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not record the person');
    }
  }
}
