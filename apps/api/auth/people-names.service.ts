import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { allNames } from '../../../libs/notifications/index.js';

/** How old the names may be before they are read again (another API process may have seen someone new). */
const REFRESH_MS = 60_000;

/**
 * Display names of the staff the API has seen (people.name), kept in memory per API process, so that a
 * page of tasks names its assignees without a query of its own (the inbox is the API's busiest read).
 * Read at first use, then refreshed in the background at most once a minute; a name this process sees
 * in a token is known at once (PeopleService).
 */
@Injectable()
export class PeopleNames {
  private readonly logger = new Logger('PeopleNames');
  private names = new Map<string, string>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** The names as last read: the first call waits for them, later ones never do. */
  async current(): Promise<ReadonlyMap<string, string>> {
    if (Date.now() - this.loadedAt >= REFRESH_MS) {
      const load = this.reload();
      if (this.loadedAt === 0) await load;
    }
    return this.names;
  }

  /** A name just seen in a verified token. */
  remember(userId: string, name: string): void {
    this.names.set(userId, name);
  }

  private reload(): Promise<void> {
    this.loading ??= allNames(this.dataSource)
      .then((names) => {
        for (const [userId, name] of this.names) if (!names.has(userId)) names.set(userId, name);
        this.names = names;
        this.loadedAt = Date.now();
      })
      .catch((error: unknown) => this.logger.warn({ err: error }, 'names not read: shown by id'))
      .finally(() => (this.loading = null));
    return this.loading;
  }
}
