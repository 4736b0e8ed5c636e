import type { EntityManager } from 'typeorm';
import { ROLE_LABEL } from '../domain/labels.js';
import type { Role } from '../domain/vocabulary.js';
import { isRole, type Principal } from '../security/principal.js';

/*
 * The staff directory: people an administrator adds by hand (the people page) or the municipality's
 * identity provider provisions with SCIM 2.0 (apps/api/scim), kept in `people` beside those known from
 * their logins only (./people.ts), and SCIM Groups, each mapped to a role. A person of the directory can
 * be given tasks before they log in: their row's user id is their person id until then, and stays so;
 * their first login is matched to them (resolveLogin) instead of making a second person. Every write is
 * appended to people_changes in its transaction. Names are staff data: never logged, never in events.
 */

type Queryable = Pick<EntityManager, 'query'>;

/** The issuer of a directory person who has not logged in yet (their first login records the real one). */
export const DIRECTORY_ISSUER = 'urn:omsorgspakken:directory';

export type PersonSource = 'login' | 'manual' | 'scim';

export interface DirectoryPerson {
  readonly personId: string;
  /** The id tasks are given to. */
  readonly userId: string;
  readonly organisation: string;
  readonly name: string | null;
  readonly userName: string | null;
  readonly email: string | null;
  readonly externalId: string | null;
  readonly roles: Role[];
  readonly active: boolean;
  readonly source: PersonSource;
  /** Whether they have logged in (their login's subject is known). */
  readonly loggedIn: boolean;
  readonly lastSeen: string | null;
  readonly created: string;
  readonly updated: string;
  readonly groups: { readonly groupId: string; readonly displayName: string }[];
}

export interface DirectoryGroup {
  readonly groupId: string;
  readonly organisation: string;
  readonly displayName: string;
  readonly externalId: string | null;
  readonly role: Role | null;
  readonly members: { readonly personId: string; readonly name: string | null }[];
  readonly created: string;
  readonly updated: string;
}

/** Who made a change: an administrator, the identity provider (SCIM, per service) or a first login. */
export interface DirectoryActor {
  readonly via: 'admin' | 'scim' | 'login';
  readonly userId: string;
  readonly issuer: string;
  readonly organisation: string | null;
  readonly roles: readonly string[];
  readonly requestId?: string;
}

/** A write refused by the directory's rules: the field and the reason (the callers say it their way). */
export class DirectoryConflict extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.name = 'DirectoryConflict';
  }
}

interface PersonDbRow {
  person_id: string;
  user_id: string;
  organisation: string;
  name: string | null;
  user_name: string | null;
  email: string | null;
  external_id: string | null;
  roles: string[];
  active: boolean;
  source: PersonSource;
  logged_in: boolean;
  last_seen: Date | null;
  created: Date;
  updated: Date;
  groups: { groupId: string; displayName: string }[] | null;
}

const PERSON_SELECT = `
  SELECT p.person_id::text AS person_id, p.user_id, p.organisation::text AS organisation, p.name, p.user_name,
         p.email, p.external_id, p.roles, p.active, p.source, p.subject IS NOT NULL AS logged_in,
         CASE WHEN p.subject IS NOT NULL THEN p.last_seen END AS last_seen,
         p.first_seen AS created, p.updated_at AS updated,
         (SELECT json_agg(json_build_object('groupId', g.group_id, 'displayName', g.display_name)
                          ORDER BY g.display_name)
            FROM scim_group_members gm JOIN scim_groups g USING (group_id)
           WHERE gm.person_id = p.person_id) AS groups
    FROM people p`;

const toPerson = (r: PersonDbRow): DirectoryPerson => ({
  personId: r.person_id,
  userId: r.user_id,
  organisation: r.organisation,
  name: r.name,
  userName: r.user_name,
  email: r.email,
  externalId: r.external_id,
  roles: r.roles.filter(isRole).sort(),
  active: r.active,
  source: r.source,
  loggedIn: r.logged_in,
  lastSeen: r.last_seen ? r.last_seen.toISOString() : null,
  created: r.created.toISOString(),
  updated: r.updated.toISOString(),
  groups: r.groups ?? [],
});

export interface PeopleQuery {
  readonly organisation?: string;
  /** Case-insensitive (SCIM: userName is caseExact false). */
  readonly userName?: string;
  readonly externalId?: string;
  readonly personId?: string;
  /** Only people of the directory (added by hand or provisioned), not those known from logins alone. */
  readonly directoryOnly?: boolean;
}

/** The people of the directory and those known from their logins, by name. */
export async function listPeople(db: Queryable, query: PeopleQuery = {}): Promise<DirectoryPerson[]> {
  const rows = await db.query<PersonDbRow[]>(
    `${PERSON_SELECT}
      WHERE ($1::uuid IS NULL OR p.organisation = $1::uuid)
        AND ($2::text IS NULL OR lower(p.user_name) = lower($2) OR (p.user_name IS NULL AND lower(p.email) = lower($2)))
        AND ($3::text IS NULL OR p.external_id = $3)
        AND ($4::uuid IS NULL OR p.person_id = $4::uuid)
        AND (NOT $5 OR p.source <> 'login')
      ORDER BY lower(coalesce(p.name, p.user_name, p.user_id)), p.person_id`,
    [
      query.organisation ?? null,
      query.userName ?? null,
      query.externalId ?? null,
      query.personId ?? null,
      query.directoryOnly ?? false,
    ],
  );
  return rows.map(toPerson);
}

export async function getPerson(db: Queryable, personId: string): Promise<DirectoryPerson | undefined> {
  return (await listPeople(db, { personId }))[0];
}

export interface PersonInput {
  readonly organisation: string;
  readonly name: string | null;
  readonly userName: string;
  readonly email: string | null;
  readonly externalId?: string | null;
  /** For a person added by hand; a provisioned person's roles are their groups' (see setGroupMembers). */
  readonly roles?: readonly Role[];
  readonly active: boolean;
}

/**
 * Adds a person to the directory. Someone already known from their logins in that service (by e-mail
 * or user name) is taken into the directory rather than added twice; someone already in the directory
 * with that user name is a conflict (`userName`).
 */
export async function createPerson(
  db: Queryable,
  source: 'manual' | 'scim',
  input: PersonInput,
  actor: DirectoryActor,
): Promise<DirectoryPerson> {
  const [taken] = await db.query<{ person_id: string; source: PersonSource }[]>(
    `SELECT person_id::text AS person_id, source FROM people
      WHERE organisation = $1::uuid AND (lower(user_name) = lower($2) OR (source = 'login' AND lower(email) = lower($2)))
      ORDER BY source = 'login' LIMIT 1 FOR UPDATE`,
    [input.organisation, input.userName],
  );
  if (taken && taken.source !== 'login')
    throw new DirectoryConflict('userName', 'brukernavnet er allerede i bruk i denne tjenesten');
  let personId: string;
  if (taken) {
    personId = taken.person_id;
    const before = await getPerson(db, personId);
    await db.query(
      `UPDATE people SET source = $2, user_name = $3, name = COALESCE($4, name), email = COALESCE($5, email),
              external_id = $6, roles = COALESCE($7::text[], roles), active = $8, updated_at = now()
        WHERE person_id = $1::uuid`,
      [
        personId,
        source,
        input.userName,
        input.name,
        input.email,
        input.externalId ?? null,
        input.roles ? [...new Set(input.roles)].sort() : null,
        input.active,
      ],
    );
    const after = await mustGet(db, personId);
    await audit(db, actor, 'person.updated', personId, before ?? null, after);
    return after;
  }
  const [row] = await db.query<{ person_id: string }[]>(
    `WITH id AS (SELECT gen_random_uuid() AS person_id)
     INSERT INTO people (person_id, issuer, user_id, subject, organisation, roles, email, name, source, user_name,
                         external_id, active)
     SELECT id.person_id, $1, id.person_id::text, NULL, $2::uuid, $3::text[], $4, $5, $6, $7, $8, $9 FROM id
     RETURNING person_id::text AS person_id`,
    [
      DIRECTORY_ISSUER,
      input.organisation,
      [...new Set(input.roles ?? [])].sort(),
      input.email,
      input.name,
      source,
      input.userName,
      input.externalId ?? null,
      input.active,
    ],
  );
  if (!row) throw new Error('person not inserted');
  personId = row.person_id;
  const after = await mustGet(db, personId);
  await audit(db, actor, 'person.created', personId, null, after);
  return after;
}

export interface PersonChange {
  readonly name?: string | null;
  readonly userName?: string;
  readonly email?: string | null;
  readonly externalId?: string | null;
  readonly roles?: readonly Role[];
  readonly active?: boolean;
}

/** Changes a person of the directory (only the fields given); a person known from logins only is refused. */
export async function updatePerson(
  db: Queryable,
  personId: string,
  change: PersonChange,
  actor: DirectoryActor,
): Promise<DirectoryPerson | undefined> {
  const locked = await db.query<unknown[]>(`SELECT 1 FROM people WHERE person_id = $1::uuid FOR UPDATE`, [
    personId,
  ]);
  if (locked.length === 0) return undefined;
  const before = await mustGet(db, personId);
  if (change.userName !== undefined && change.userName.toLowerCase() !== before.userName?.toLowerCase()) {
    const [clash] = await db.query<unknown[]>(
      `SELECT 1 FROM people WHERE organisation = $1::uuid AND lower(user_name) = lower($2) AND person_id <> $3::uuid`,
      [before.organisation, change.userName, personId],
    );
    if (clash) throw new DirectoryConflict('userName', 'brukernavnet er allerede i bruk i denne tjenesten');
  }
  const has = (k: keyof PersonChange) => change[k] !== undefined;
  await db.query(
    `UPDATE people SET
        name = CASE WHEN $2 THEN $3 ELSE name END,
        user_name = CASE WHEN $4 THEN $5 ELSE user_name END,
        email = CASE WHEN $6 THEN $7 ELSE email END,
        external_id = CASE WHEN $8 THEN $9 ELSE external_id END,
        roles = CASE WHEN $10 THEN $11::text[] ELSE roles END,
        active = CASE WHEN $12 THEN $13 ELSE active END,
        source = CASE WHEN source = 'login' THEN 'manual' ELSE source END,
        updated_at = now()
      WHERE person_id = $1::uuid`,
    [
      personId,
      has('name'),
      change.name ?? null,
      has('userName'),
      change.userName ?? null,
      has('email'),
      change.email ?? null,
      has('externalId'),
      change.externalId ?? null,
      has('roles'),
      [...new Set(change.roles ?? [])].sort(),
      has('active'),
      change.active ?? null,
    ],
  );
  const after = await mustGet(db, personId);
  await audit(db, actor, 'person.updated', personId, before, after);
  return after;
}

/**
 * Deletes a person of the directory (SCIM DELETE): one who never logged in is removed; one who did
 * leaves the directory, inactive, so that their name still shows on what they did. Tasks given to them
 * go on showing their id; they can no longer be given new ones.
 */
export async function deletePerson(db: Queryable, personId: string, actor: DirectoryActor): Promise<boolean> {
  const before = await getPerson(db, personId);
  if (!before) return false;
  if (before.loggedIn)
    await db.query(
      `UPDATE people SET active = false, source = 'login', user_name = NULL, external_id = NULL, updated_at = now()
        WHERE person_id = $1::uuid`,
      [personId],
    );
  else await db.query(`DELETE FROM people WHERE person_id = $1::uuid`, [personId]);
  await audit(db, actor, 'person.deleted', personId, before, null);
  return true;
}

/**
 * The person a verified login belongs to: known by its issuer and subject, or else (a first login) the
 * one person of the directory in the login's service, not logged in yet, whose user name or e-mail is
 * the token's `email` or `preferred_username`: that login is recorded on them (audited). Returns the
 * user id to act as (the login's subject when the directory does not know them).
 */
export async function resolveLogin(db: Queryable, p: Principal): Promise<string> {
  const [known] = await db.query<{ user_id: string }[]>(
    `SELECT user_id FROM people WHERE issuer = $1 AND subject = $2`,
    [p.issuer, p.userId],
  );
  if (known) return known.user_id;
  const names = [
    ...new Set([p.email, p.userName].filter((n): n is string => !!n).map((n) => n.toLowerCase())),
  ];
  if (names.length === 0) return p.userId;
  const [linked] = await db.query<{ user_id: string; person_id: string }[]>(
    `WITH linked AS (
       UPDATE people SET issuer = $1, subject = $2, last_seen = now(), updated_at = now()
        WHERE person_id = (
          SELECT person_id FROM people
           WHERE subject IS NULL AND organisation = $3::uuid
             AND (lower(user_name) = ANY($4::text[]) OR lower(email) = ANY($4::text[]))
           ORDER BY first_seen LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING user_id, person_id::text AS person_id)
     SELECT user_id, person_id FROM linked`,
    [p.issuer, p.userId, p.organisation, names],
  );
  if (!linked) return p.userId;
  await audit(
    db,
    {
      via: 'login',
      userId: linked.user_id,
      issuer: p.issuer,
      organisation: p.organisation,
      roles: p.roles,
    },
    'person.linked',
    linked.person_id,
    null,
    { issuer: p.issuer, loggedIn: true },
  );
  return linked.user_id;
}

// ---------------------------------------------------------------------------------------------------
// Groups

interface GroupDbRow {
  group_id: string;
  organisation: string;
  display_name: string;
  external_id: string | null;
  role: string | null;
  created_at: Date;
  updated_at: Date;
  members: { personId: string; name: string | null }[] | null;
}

const toGroup = (r: GroupDbRow): DirectoryGroup => ({
  groupId: r.group_id,
  organisation: r.organisation,
  displayName: r.display_name,
  externalId: r.external_id,
  role: isRole(r.role) ? r.role : null,
  members: r.members ?? [],
  created: r.created_at.toISOString(),
  updated: r.updated_at.toISOString(),
});

export interface GroupQuery {
  readonly organisation: string;
  readonly displayName?: string;
  readonly externalId?: string;
  readonly groupId?: string;
}

export async function listGroups(db: Queryable, query: GroupQuery): Promise<DirectoryGroup[]> {
  const rows = await db.query<GroupDbRow[]>(
    `SELECT g.group_id::text AS group_id, g.organisation::text AS organisation, g.display_name, g.external_id,
            g.role, g.created_at, g.updated_at,
            (SELECT json_agg(json_build_object('personId', m.person_id, 'name', p.name) ORDER BY m.person_id)
               FROM scim_group_members m JOIN people p USING (person_id) WHERE m.group_id = g.group_id) AS members
       FROM scim_groups g
      WHERE g.organisation = $1::uuid
        AND ($2::text IS NULL OR lower(g.display_name) = lower($2))
        AND ($3::text IS NULL OR g.external_id = $3)
        AND ($4::uuid IS NULL OR g.group_id = $4::uuid)
      ORDER BY lower(g.display_name)`,
    [query.organisation, query.displayName ?? null, query.externalId ?? null, query.groupId ?? null],
  );
  return rows.map(toGroup);
}

/**
 * The role a group gives its members: the service's own mapping (SCIM_TENANTS `groupRoles`, by display
 * name), else a display name that is a role's code or its bokmål label («Kontaktperson»); else none.
 */
export function roleOfGroup(
  displayName: string,
  mapping: Readonly<Record<string, string>> = {},
): Role | null {
  const wanted = displayName.trim().toLowerCase();
  for (const [name, role] of Object.entries(mapping))
    if (name.trim().toLowerCase() === wanted && isRole(role)) return role;
  for (const [role, label] of Object.entries(ROLE_LABEL))
    if (role === wanted || label.toLowerCase() === wanted) return role as Role;
  return null;
}

export interface GroupInput {
  readonly displayName: string;
  readonly externalId: string | null;
  readonly role: Role | null;
  /** Person ids; each must be in the group's service. */
  readonly members: readonly string[];
}

export async function createGroup(
  db: Queryable,
  organisation: string,
  input: GroupInput,
  actor: DirectoryActor,
): Promise<DirectoryGroup> {
  await requireUniqueGroupName(db, organisation, input.displayName, null);
  const [row] = await db.query<{ group_id: string }[]>(
    `INSERT INTO scim_groups (organisation, display_name, external_id, role) VALUES ($1::uuid, $2, $3, $4)
     RETURNING group_id::text AS group_id`,
    [organisation, input.displayName, input.externalId, input.role],
  );
  if (!row) throw new Error('group not inserted');
  const groupId = row.group_id;
  await setGroupMembers(db, organisation, groupId, input.members);
  const after = await mustGetGroup(db, organisation, groupId);
  await audit(db, actor, 'group.created', groupId, null, after);
  return after;
}

export async function replaceGroup(
  db: Queryable,
  organisation: string,
  groupId: string,
  input: GroupInput,
  actor: DirectoryActor,
): Promise<DirectoryGroup | undefined> {
  const locked = await db.query<unknown[]>(
    `SELECT 1 FROM scim_groups WHERE group_id = $1::uuid AND organisation = $2::uuid FOR UPDATE`,
    [groupId, organisation],
  );
  if (locked.length === 0) return undefined;
  const before = await mustGetGroup(db, organisation, groupId);
  await requireUniqueGroupName(db, organisation, input.displayName, groupId);
  await db.query(
    `UPDATE scim_groups SET display_name = $2, external_id = $3, role = $4, updated_at = now() WHERE group_id = $1::uuid`,
    [groupId, input.displayName, input.externalId, input.role],
  );
  await setGroupMembers(
    db,
    organisation,
    groupId,
    input.members,
    before.members.map((m) => m.personId),
  );
  const after = await mustGetGroup(db, organisation, groupId);
  await audit(db, actor, 'group.updated', groupId, before, after);
  return after;
}

export async function deleteGroup(
  db: Queryable,
  organisation: string,
  groupId: string,
  actor: DirectoryActor,
): Promise<boolean> {
  const [before] = await listGroups(db, { organisation, groupId });
  if (!before) return false;
  await db.query(`DELETE FROM scim_groups WHERE group_id = $1::uuid`, [groupId]);
  await recomputeRoles(
    db,
    before.members.map((m) => m.personId),
  );
  await audit(db, actor, 'group.deleted', groupId, before, null);
  return true;
}

async function requireUniqueGroupName(
  db: Queryable,
  organisation: string,
  displayName: string,
  except: string | null,
): Promise<void> {
  const [clash] = await db.query<unknown[]>(
    `SELECT 1 FROM scim_groups WHERE organisation = $1::uuid AND lower(display_name) = lower($2)
        AND ($3::uuid IS NULL OR group_id <> $3::uuid)`,
    [organisation, displayName, except],
  );
  if (clash) throw new DirectoryConflict('displayName', 'gruppenavnet er allerede i bruk i denne tjenesten');
}

async function setGroupMembers(
  db: Queryable,
  organisation: string,
  groupId: string,
  members: readonly string[],
  previous: readonly string[] = [],
): Promise<void> {
  const ids = [...new Set(members)];
  if (ids.length > 0) {
    const found = await db.query<{ person_id: string }[]>(
      `SELECT person_id::text AS person_id FROM people WHERE person_id = ANY($1::uuid[]) AND organisation = $2::uuid`,
      [ids, organisation],
    );
    if (found.length !== ids.length)
      throw new DirectoryConflict('members', 'en eller flere personer finnes ikke i denne tjenesten');
  }
  await db.query(`DELETE FROM scim_group_members WHERE group_id = $1::uuid`, [groupId]);
  if (ids.length > 0)
    await db.query(
      `INSERT INTO scim_group_members (group_id, person_id) SELECT $1::uuid, unnest($2::uuid[])`,
      [groupId, ids],
    );
  await recomputeRoles(db, [...new Set([...ids, ...previous])]);
}

/** A provisioned person's roles are those of their groups. */
async function recomputeRoles(db: Queryable, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.query(
    `UPDATE people p SET updated_at = now(), roles = COALESCE((
        SELECT array_agg(DISTINCT g.role ORDER BY g.role)
          FROM scim_group_members m JOIN scim_groups g USING (group_id)
         WHERE m.person_id = p.person_id AND g.role IS NOT NULL), '{}')
      WHERE p.person_id = ANY($1::uuid[]) AND p.source = 'scim'`,
    [personIds],
  );
}

async function mustGet(db: Queryable, personId: string): Promise<DirectoryPerson> {
  const person = await getPerson(db, personId);
  if (!person) throw new Error(`person ${personId} vanished in its own transaction`);
  return person;
}

async function mustGetGroup(db: Queryable, organisation: string, groupId: string): Promise<DirectoryGroup> {
  const [group] = await listGroups(db, { organisation, groupId });
  if (!group) throw new Error(`group ${groupId} vanished in its own transaction`);
  return group;
}

type ChangeAction =
  | 'person.created'
  | 'person.updated'
  | 'person.deleted'
  | 'person.linked'
  | 'group.created'
  | 'group.updated'
  | 'group.deleted';

async function audit(
  db: Queryable,
  actor: DirectoryActor,
  action: ChangeAction,
  entityId: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await db.query(
    `INSERT INTO people_changes (user_id, issuer, organisation, roles, via, action, entity_id, before, after, request_id)
     VALUES ($1, $2, $3, $4::text[], $5, $6, $7::uuid, $8::jsonb, $9::jsonb, $10)`,
    [
      actor.userId,
      actor.issuer,
      actor.organisation,
      [...actor.roles],
      actor.via,
      action,
      entityId,
      before === null ? null : JSON.stringify(before),
      after === null ? null : JSON.stringify(after),
      actor.requestId ?? null,
    ],
  );
}
