import type { EntityManager } from 'typeorm';
import { isRole } from '../security/principal.js';
import type { Principal } from '../security/principal.js';
import type { Scoped } from '../security/access.js';

/*
 * The people the system can notify, and to whom a task can be given. Some are in the directory
 * (./directory.ts: added by an administrator or provisioned by the identity provider with SCIM), and
 * can be given tasks before they ever log in; for everyone else the API's auth guard records each
 * verified principal here (roles, organisation and network as its token
 * says, the `email` and `name` claims), and the local issuer's demo users are seeded. A person's roles
 * are therefore only as fresh as their last request: someone who has not been seen for
 * PEOPLE_MAX_IDLE_DAYS is no longer notified, cannot be given a task, and their calendar feed stops
 * answering, so a person who left (and whose tokens stopped) stops hearing about tasks even though no
 * directory tells us they left.
 */

/** Long enough for the Norwegian summer holiday (fellesferie, three weeks) and a margin. */
export const PEOPLE_MAX_IDLE_DAYS = 45;

type Queryable = Pick<EntityManager, 'query'>;

export interface PersonRow {
  readonly issuer: string;
  readonly user_id: string;
  readonly organisation: string;
  readonly roles: string[];
  readonly network_id: string | null;
  readonly email: string | null;
  /** Display name (the `name` claim); personal data: never logged. */
  readonly name: string | null;
  readonly digest: 'daily' | 'off';
}

export interface PersonRef {
  readonly issuer: string;
  readonly userId: string;
}

export const personKey = (p: PersonRef): string => `${p.issuer}\u001f${p.userId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Columns of a person, for SELECTs on `people` (alias p). */
export const PERSON_COLUMNS = `p.issuer, p.user_id, p.organisation::text AS organisation, p.roles,
  p.network_id::text AS network_id, p.email, p.name, p.digest`;

/**
 * SQL condition (alias p): an active person. Someone known from their logins alone is active while seen
 * within PEOPLE_MAX_IDLE_DAYS; someone in the directory (added by an administrator or provisioned with
 * SCIM, libs/notifications/directory.ts) while the directory says so, logged in or not: the directory
 * tells us when they leave.
 */
export const ACTIVE = `p.active AND (p.source <> 'login'
  OR p.last_seen > now() - make_interval(days => ${PEOPLE_MAX_IDLE_DAYS}))`;

/** SQL condition (alias p): can be notified (an address, digest on, active). */
export const NOTIFIABLE = `p.email IS NOT NULL AND p.digest <> 'off' AND ${ACTIVE}`;

/**
 * Records a verified principal (insert or update). Cheap on repeat: the row is written only when
 * something changed or the last write is more than an hour old (last_seen needs no finer grain). A token
 * without an `email` or `name` claim keeps the address or name recorded before.
 */
export async function recordPerson(db: Queryable, p: Principal): Promise<void> {
  const roles = [...new Set(p.roles)].sort();
  // A person of the directory (p.userId is then their directory user id, see resolveLogin) keeps the
  // service, roles and name the directory gives them: the login only says they are here.
  await db.query(
    `INSERT INTO people (issuer, user_id, subject, organisation, roles, network_id, email, name)
     VALUES ($1, $2, $2, $3::uuid, $4::text[], $5::uuid, $6, $7)
     ON CONFLICT (issuer, user_id) DO UPDATE
        SET organisation = CASE WHEN people.source = 'login' THEN EXCLUDED.organisation ELSE people.organisation END,
            roles = CASE WHEN people.source = 'login' THEN EXCLUDED.roles ELSE people.roles END,
            network_id = EXCLUDED.network_id,
            email = COALESCE(EXCLUDED.email, people.email),
            name = CASE WHEN people.source = 'login' THEN COALESCE(EXCLUDED.name, people.name)
                        ELSE COALESCE(people.name, EXCLUDED.name) END,
            last_seen = now()
      WHERE people.organisation IS DISTINCT FROM EXCLUDED.organisation
         OR people.roles IS DISTINCT FROM EXCLUDED.roles
         OR people.network_id IS DISTINCT FROM EXCLUDED.network_id
         OR (EXCLUDED.email IS NOT NULL AND people.email IS DISTINCT FROM EXCLUDED.email)
         OR (EXCLUDED.name IS NOT NULL AND people.name IS DISTINCT FROM EXCLUDED.name)
         OR people.last_seen < now() - interval '1 hour'`,
    [
      p.issuer,
      p.userId,
      p.organisation,
      roles,
      p.network && UUID.test(p.network) ? p.network : null,
      p.email ?? null,
      p.name ?? null,
    ],
  );
}

/** The services of each learning network (reference data: the view learning_network_services). */
export async function networkServices(db: Queryable): Promise<Map<string, string[]>> {
  const rows = await db.query<{ network_id: string; service_id: string }[]>(
    `SELECT network_id::text AS network_id, service_id::text AS service_id FROM learning_network_services`,
  );
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.network_id, [...(map.get(r.network_id) ?? []), r.service_id]);
  return map;
}

/** The services of the regions each Bufetat region office serves (regions.bufetat_office), by office. */
export async function bufetatOfficeServices(db: Queryable): Promise<Map<string, string[]>> {
  const rows = await db.query<{ office: string; service_id: string }[]>(
    `SELECT r.bufetat_office::text AS office, s.id::text AS service_id
       FROM regions r JOIN services s ON s.region_id = r.id WHERE r.bufetat_office IS NOT NULL`,
  );
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.office, [...(map.get(r.office) ?? []), r.service_id]);
  return map;
}

/** Whether any of the rows is Bufetat's (whose services are then read, see scopedPerson). */
const anyBufetat = (rows: readonly PersonRow[]) => rows.some((r) => r.roles.includes('bufetat'));

/**
 * A person as the access function sees a principal, with their network's services (and, for Bufetat, the
 * services of the regions their office serves).
 */
export function scopedPerson(
  row: PersonRow,
  networks: ReadonlyMap<string, readonly string[]>,
  offices: ReadonlyMap<string, readonly string[]> = new Map(),
): Scoped {
  return {
    userId: row.user_id,
    issuer: row.issuer,
    organisation: row.organisation,
    roles: row.roles.filter(isRole),
    ...(row.network_id ? { network: row.network_id } : {}),
    ...(row.email ? { email: row.email } : {}),
    ...(row.name ? { name: row.name } : {}),
    networkServices: row.network_id ? [...(networks.get(row.network_id) ?? [])] : [],
    ...(row.roles.includes('bufetat') ? { bufetatServices: [...(offices.get(row.organisation) ?? [])] } : {}),
  };
}

/** Everyone who can be notified now, as principals. */
export async function notifiablePeople(db: Queryable): Promise<Scoped[]> {
  // One after the other: `db` may be a transaction's single connection.
  const rows = await db.query<PersonRow[]>(
    `SELECT ${PERSON_COLUMNS} FROM people p WHERE ${NOTIFIABLE} ORDER BY 1, 2`,
  );
  const networks = await networkServices(db);
  const offices = anyBufetat(rows) ? await bufetatOfficeServices(db) : new Map<string, string[]>();
  return rows.map((r) => scopedPerson(r, networks, offices));
}

/** One person, if known and active (see ACTIVE), as a principal. */
export async function activePerson(db: Queryable, ref: PersonRef): Promise<Scoped | undefined> {
  const [row] = await db.query<PersonRow[]>(
    `SELECT ${PERSON_COLUMNS} FROM people p WHERE p.issuer = $1 AND p.user_id = $2 AND ${ACTIVE}`,
    [ref.issuer, ref.userId],
  );
  if (!row) return undefined;
  const networks = row.network_id ? await networkServices(db) : new Map<string, string[]>();
  const offices = anyBufetat([row]) ? await bufetatOfficeServices(db) : new Map<string, string[]>();
  return scopedPerson(row, networks, offices);
}

/**
 * Everyone active (see ACTIVE: seen within PEOPLE_MAX_IDLE_DAYS, or in the directory) who holds `role`, as principals, by user id: those a
 * task of that role might be given to (the access function decides which of them may take it).
 */
export async function activePeopleWithRole(db: Queryable, role: string): Promise<Scoped[]> {
  const rows = await db.query<PersonRow[]>(
    `SELECT ${PERSON_COLUMNS} FROM people p
      WHERE p.roles @> ARRAY[$1]::text[] AND ${ACTIVE}
      ORDER BY p.user_id, p.issuer`,
    [role],
  );
  const networks = rows.some((r) => r.network_id) ? await networkServices(db) : new Map<string, string[]>();
  const offices = anyBufetat(rows) ? await bufetatOfficeServices(db) : new Map<string, string[]>();
  return rows.map((r) => scopedPerson(r, networks, offices));
}

/**
 * Display names of user ids, for showing who wrote a note or read a child's data: the most recently seen
 * person with that id and a name (ids without a known name are left out).
 */
export async function namesOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  return names(db, `AND user_id = ANY($1::text[])`, [ids]);
}

/** Every known display name, by user id (see namesOf): staff only, so a few thousand at most. */
export const allNames = (db: Queryable): Promise<Map<string, string>> => names(db, '', []);

async function names(db: Queryable, where: string, params: unknown[]): Promise<Map<string, string>> {
  const rows = await db.query<{ user_id: string; name: string }[]>(
    `SELECT DISTINCT ON (user_id) user_id, name FROM people
      WHERE name IS NOT NULL ${where} ORDER BY user_id, last_seen DESC`,
    params,
  );
  return new Map(rows.map((r) => [r.user_id, r.name]));
}
