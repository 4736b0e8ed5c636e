import { createHash, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { scimPatch, ScimError as PatchError, type ScimPatchOperation } from 'scim-patch';
import { parse as parseFilter, Tester, type Filter } from 'scim2-parse-filter';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig, ScimTenant } from '../../../libs/config/index.js';
import {
  createGroup,
  createPerson,
  deleteGroup,
  deletePerson,
  DirectoryConflict,
  getPerson,
  listGroups,
  listPeople,
  replaceGroup,
  roleOfGroup,
  updatePerson,
  type DirectoryActor,
  type GroupInput,
} from '../../../libs/notifications/index.js';
import type { AccessLogService } from '../auth/access-log.service.js';
import { SharedWindowCounter } from '../common/fixed-window.js';
import {
  BASE,
  groupResource,
  MAX_RESULTS,
  resourceTypes,
  SCHEMA,
  schemas,
  serviceProviderConfig,
  userResource,
  type ScimGroup,
  type ScimUser,
} from './scim-resources.js';

/*
 * SCIM 2.0 provisioning (RFC 7643/7644) of the staff directory by the municipality's identity provider,
 * as Entra ID does it: /scim/v2/Users and /scim/v2/Groups (list with `filter`, read, create, replace,
 * PATCH, delete) and the discovery endpoints. Outside the user API on purpose: its own credential (the
 * service's bearer token from SCIM_TENANTS, compared in constant time, never logged), its own media type
 * (application/scim+json) and its own error format (urn:ietf:params:scim:api:messages:2.0:Error, not
 * problem+json). Each service sees and changes its own people and groups only; every write is audited in
 * people_changes (libs/notifications/directory.ts).
 */

const MEDIA_TYPE = 'application/scim+json';
const MAX_BODY_BYTES = 100 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_NAME = /^[^\s\p{Cc}\p{Cf}]{1,254}$/u;
const NAME = /^[^\p{Cc}\p{Cf}]{1,120}$/u;
const EMAIL =
  /^[^\s@<>()[\]\\,;:"\p{Cc}\p{Cf}]+@[^\s@<>()[\]\\,;:"\p{Cc}\p{Cf}]+\.[^\s@<>()[\]\\,;:".\p{Cc}\p{Cf}]{2,63}$/u;

type ScimType =
  | 'invalidFilter'
  | 'invalidSyntax'
  | 'invalidValue'
  | 'invalidPath'
  | 'noTarget'
  | 'uniqueness'
  | 'mutability'
  | 'tooMany';

/** An answer in SCIM's error format. */
class ScimFault extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }
}

const invalid = (detail: string, scimType: ScimType = 'invalidValue') => new ScimFault(400, detail, scimType);

export interface ScimDependencies {
  readonly dataSource: DataSource;
  readonly config: AppConfig;
  readonly accessLog: AccessLogService;
}

/** The SCIM endpoints as one Express middleware, mounted before the API's JSON body parser. */
export function scimMiddleware(deps: ScimDependencies) {
  const logger = new Logger('Scim');
  const refusals = new SharedWindowCounter(deps.dataSource);
  const tenants = deps.config.SCIM_TENANTS.map((t) => ({ tenant: t, digest: sha256(t.token) }));

  /** The tenant whose token this is: every tenant compared, in constant time, whatever matches. */
  const tenantOf = (authorization: string | undefined): ScimTenant | undefined => {
    const match = /^bearer +(\S+)$/i.exec(authorization ?? '');
    const given = sha256(match?.[1] ?? '');
    let found: ScimTenant | undefined;
    for (const t of tenants) if (timingSafeEqual(given, t.digest) && match) found = t.tenant;
    return found;
  };

  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    if (req.path !== BASE && !req.path.startsWith(`${BASE}/`)) return next();
    const shape = routeShape(req.path);
    res.setHeader('Cache-Control', 'no-store');
    try {
      const tenant = tenantOf(req.headers.authorization);
      if (!tenant) {
        const { count, retryAfterSeconds } = await refusals.hit(`refused-logins:ip:${req.ip}`);
        const limit = deps.config.API_LOGIN_FAILURE_LIMIT;
        if (count <= limit + 1)
          await deps.accessLog.record([
            {
              action: `${req.method} ${shape}`,
              outcome: 'unauthenticated',
              detail: count > limit ? 'too many refused logins' : 'scim token refused',
            },
          ]);
        if (count > limit) {
          res.setHeader('Retry-After', String(retryAfterSeconds));
          throw new ScimFault(
            429,
            `For mange forespørsler. Prøv igjen om ${retryAfterSeconds} sekunder.`,
            'tooMany',
          );
        }
        res.setHeader('WWW-Authenticate', 'Bearer realm="omsorgspakken-scim"');
        throw new ScimFault(401, 'Mangler eller ugyldig SCIM-nøkkel.');
      }
      const body = await readBody(req);
      const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
      const handler = new Handler(deps.dataSource, tenant, origin, {
        via: 'scim',
        userId: 'scim',
        issuer: 'scim',
        organisation: tenant.organisation,
        roles: [],
        requestId: typeof req.id === 'string' ? req.id : undefined,
      });
      const answer = await handler.route(req.method, req.path.slice(BASE.length), queryOf(req), body);
      if (answer.location) res.setHeader('Location', answer.location);
      if (answer.body === undefined) res.status(answer.status).end();
      else res.status(answer.status).type(MEDIA_TYPE).send(JSON.stringify(answer.body));
      logger.log({ method: req.method, route: shape, status: answer.status }, 'scim request');
    } catch (error) {
      const fault =
        error instanceof ScimFault
          ? error
          : (logger.error({ err: error, route: shape }, 'scim request failed'),
            new ScimFault(500, 'Intern feil.'));
      res
        .status(fault.status)
        .type(MEDIA_TYPE)
        .send(
          JSON.stringify({
            schemas: [SCHEMA.error],
            status: String(fault.status),
            ...(fault.scimType ? { scimType: fault.scimType } : {}),
            detail: fault.detail,
          }),
        );
      if (fault.status !== 500)
        logger.log(
          { method: req.method, route: shape, status: fault.status, scimType: fault.scimType },
          'scim request',
        );
    }
  };
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The path with ids replaced (for logs and the access log: no id, no name). */
function routeShape(path: string): string {
  return path.replace(/^(\/scim\/v2\/(?:Users|Groups|Schemas|ResourceTypes))\/.+$/, '$1/{id}');
}

type Query = Readonly<Record<string, string | undefined>>;

function queryOf(req: Request): Query {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (v !== undefined) throw invalid(`Parameteren ${k} kan stå bare én gang.`);
  }
  return out;
}

/** The request's JSON body (application/scim+json or application/json), at most 100 kB; none for GET. */
async function readBody(req: Request): Promise<unknown> {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) return undefined;
  if (!req.is(MEDIA_TYPE) && !req.is('application/json'))
    throw new ScimFault(415, 'Send innholdet som application/scim+json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ScimFault(413, 'Innholdet er for stort (høyst 100 kB).');
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw invalid('Innholdet er ikke gyldig JSON.', 'invalidSyntax');
  }
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly location?: string;
}

/** Attribute names compared ignoring case, string values too (userName, displayName: caseExact false). */
class CaseInsensitiveTester extends Tester {
  override eq(r: unknown, v: unknown): boolean {
    return typeof r === 'string' && typeof v === 'string' ? r.toLowerCase() === v.toLowerCase() : r === v;
  }
  override ne(r: unknown, v: unknown): boolean {
    return !this.eq(r, v);
  }
  override co(r: unknown, v: unknown): boolean {
    return typeof r === 'string' && typeof v === 'string' && r.toLowerCase().includes(v.toLowerCase());
  }
  override sw(r: unknown, v: unknown): boolean {
    return typeof r === 'string' && typeof v === 'string' && r.toLowerCase().startsWith(v.toLowerCase());
  }
  override ew(r: unknown, v: unknown): boolean {
    return typeof r === 'string' && typeof v === 'string' && r.toLowerCase().endsWith(v.toLowerCase());
  }
}

class Handler {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenant: ScimTenant,
    private readonly origin: string,
    private readonly actor: DirectoryActor,
  ) {}

  async route(method: string, path: string, query: Query, body: unknown): Promise<Answer> {
    const [, collection, id, extra] = /^\/([^/]+)(?:\/([^/]+))?(\/.*)?$/.exec(path) ?? [];
    if (extra !== undefined || !collection) throw new ScimFault(404, 'Finnes ikke.');
    const get = (answer: () => Answer | Promise<Answer>) => {
      if (method !== 'GET') throw new ScimFault(405, 'Metoden støttes ikke her.');
      return answer();
    };
    switch (collection) {
      case 'ServiceProviderConfig':
        if (id) throw new ScimFault(404, 'Finnes ikke.');
        return get(() => ({ status: 200, body: serviceProviderConfig(this.origin) }));
      case 'ResourceTypes':
        return get(() => this.discovery(resourceTypes(this.origin), id));
      case 'Schemas':
        return get(() => this.discovery(schemas(this.origin), id));
      case 'Users':
        return this.users(method, id, query, body);
      case 'Groups':
        return this.groups(method, id, query, body);
      default:
        throw new ScimFault(404, 'Finnes ikke.');
    }
  }

  private discovery(items: { id: string }[], id: string | undefined): Answer {
    if (id === undefined) return { status: 200, body: listResponse(items, 1, items.length, items.length) };
    const item = items.find((i) => i.id === decodeURIComponent(id));
    if (!item) throw new ScimFault(404, 'Finnes ikke.');
    return { status: 200, body: item };
  }

  // ----- Users

  private async users(method: string, id: string | undefined, query: Query, body: unknown): Promise<Answer> {
    if (id === undefined) {
      if (method === 'GET') return this.list(await this.allUsers(), query);
      if (method === 'POST') return this.write(async (m) => this.createUser(m, body));
      throw new ScimFault(405, 'Metoden støttes ikke her.');
    }
    if (!UUID.test(id)) throw new ScimFault(404, 'Fant ikke brukeren.');
    switch (method) {
      case 'GET':
        return { status: 200, body: omit(await this.user(this.dataSource.manager, id), query) };
      case 'PUT':
        return this.write(async (m) => {
          await this.user(m, id);
          return { status: 200, body: await this.saveUser(m, id, userInput(body, true)) };
        });
      case 'PATCH':
        return this.write(async (m) => {
          const current = await this.user(m, id);
          const patched = applyPatch(current, body);
          return { status: 200, body: await this.saveUser(m, id, userInput(patched, false)) };
        });
      case 'DELETE':
        return this.write(async (m) => {
          await this.user(m, id);
          await deletePerson(m, id, this.actor);
          return { status: 204 };
        });
      default:
        throw new ScimFault(405, 'Metoden støttes ikke her.');
    }
  }

  private async allUsers(): Promise<ScimUser[]> {
    const people = await listPeople(this.dataSource, {
      organisation: this.tenant.organisation,
      directoryOnly: true,
    });
    return people.map((p) => userResource(p, this.origin));
  }

  private async user(m: EntityManager, id: string): Promise<ScimUser> {
    const person = await getPerson(m, id);
    if (!person || person.organisation !== this.tenant.organisation || person.source === 'login')
      throw new ScimFault(404, 'Fant ikke brukeren.');
    return userResource(person, this.origin);
  }

  private async createUser(m: EntityManager, body: unknown): Promise<Answer> {
    const input = userInput(body, true);
    const person = await createPerson(
      m,
      'scim',
      {
        organisation: this.tenant.organisation,
        name: input.name,
        userName: input.userName,
        email: input.email,
        externalId: input.externalId,
        active: input.active,
      },
      this.actor,
    );
    const resource = userResource(person, this.origin);
    return { status: 201, body: resource, location: resource.meta.location };
  }

  private async saveUser(m: EntityManager, id: string, input: UserInput): Promise<ScimUser> {
    const person = await updatePerson(
      m,
      id,
      {
        name: input.name,
        userName: input.userName,
        email: input.email,
        externalId: input.externalId,
        active: input.active,
      },
      this.actor,
    );
    if (!person) throw new ScimFault(404, 'Fant ikke brukeren.');
    return userResource(person, this.origin);
  }

  // ----- Groups

  private async groups(method: string, id: string | undefined, query: Query, body: unknown): Promise<Answer> {
    if (id === undefined) {
      if (method === 'GET') return this.list(await this.allGroups(), query);
      if (method === 'POST')
        return this.write(async (m) => {
          const group = await createGroup(m, this.tenant.organisation, this.groupInput(body), this.actor);
          const resource = groupResource(group, this.origin);
          return { status: 201, body: resource, location: resource.meta.location };
        });
      throw new ScimFault(405, 'Metoden støttes ikke her.');
    }
    if (!UUID.test(id)) throw new ScimFault(404, 'Fant ikke gruppen.');
    switch (method) {
      case 'GET':
        return { status: 200, body: omit(await this.group(this.dataSource.manager, id), query) };
      case 'PUT':
        return this.write(async (m) => {
          await this.group(m, id);
          return { status: 200, body: await this.saveGroup(m, id, this.groupInput(body)) };
        });
      case 'PATCH':
        return this.write(async (m) => {
          const current = await this.group(m, id);
          return {
            status: 200,
            body: await this.saveGroup(m, id, this.groupInput(applyPatch(current, body))),
          };
        });
      case 'DELETE':
        return this.write(async (m) => {
          if (!(await deleteGroup(m, this.tenant.organisation, id, this.actor)))
            throw new ScimFault(404, 'Fant ikke gruppen.');
          return { status: 204 };
        });
      default:
        throw new ScimFault(405, 'Metoden støttes ikke her.');
    }
  }

  private async allGroups(): Promise<ScimGroup[]> {
    const groups = await listGroups(this.dataSource, { organisation: this.tenant.organisation });
    return groups.map((g) => groupResource(g, this.origin));
  }

  private async group(m: EntityManager, id: string): Promise<ScimGroup> {
    const [group] = await listGroups(m, { organisation: this.tenant.organisation, groupId: id });
    if (!group) throw new ScimFault(404, 'Fant ikke gruppen.');
    return groupResource(group, this.origin);
  }

  private async saveGroup(m: EntityManager, id: string, input: GroupInput): Promise<ScimGroup> {
    const group = await replaceGroup(m, this.tenant.organisation, id, input, this.actor);
    if (!group) throw new ScimFault(404, 'Fant ikke gruppen.');
    return groupResource(group, this.origin);
  }

  private groupInput(body: unknown): GroupInput {
    const o = objectOf(body, SCHEMA.group);
    const displayName = trimmedText(o.displayName, 'displayName', 200, true)!;
    const members = o.members ?? [];
    if (!Array.isArray(members)) throw invalid('members må være en liste.');
    const ids = members.map((m: unknown) => {
      const value = (m as { value?: unknown } | null)?.value;
      if (typeof value !== 'string' || !UUID.test(value))
        throw invalid('members[].value må være id-en til en bruker.');
      return value.toLowerCase();
    });
    return {
      displayName,
      externalId: trimmedText(o.externalId, 'externalId', 200, false),
      role: roleOfGroup(displayName, this.tenant.groupRoles),
      members: ids,
    };
  }

  // ----- Shared

  private list<T extends object>(resources: T[], query: Query): Answer {
    let matching = resources;
    if (query.filter !== undefined) {
      let ast: Filter;
      try {
        ast = parseFilter(query.filter);
      } catch {
        throw invalid('Filteret kan ikke leses.', 'invalidFilter');
      }
      const tester = new CaseInsensitiveTester();
      matching = resources.filter((r) => tester.test(r, ast));
    }
    const startIndex = positive(query.startIndex, 'startIndex') ?? 1;
    const count = Math.min(positive(query.count, 'count', true) ?? MAX_RESULTS, MAX_RESULTS);
    const page = matching.slice(startIndex - 1, startIndex - 1 + count).map((r) => omit(r, query));
    return { status: 200, body: listResponse(page, startIndex, page.length, matching.length) };
  }

  private async write(work: (m: EntityManager) => Promise<Answer>): Promise<Answer> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof DirectoryConflict)
        throw error.field === 'members'
          ? invalid('En eller flere medlemmer finnes ikke i denne tjenesten.')
          : new ScimFault(409, `${error.field}: ${error.reason}.`, 'uniqueness');
      throw error;
    }
  }
}

function listResponse(resources: unknown[], startIndex: number, itemsPerPage: number, totalResults: number) {
  return { schemas: [SCHEMA.list], totalResults, startIndex, itemsPerPage, Resources: resources };
}

function positive(value: string | undefined, name: string, zero = false): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || (!zero && Number(value) < 1))
    throw invalid(`${name} må være et positivt heltall.`);
  return Number(value);
}

/** `excludedAttributes` (e.g. Entra ID's `members` on Groups): those top-level attributes left out. */
function omit<T extends object>(resource: T, query: Query): T {
  const excluded = (query.excludedAttributes ?? '')
    .split(',')
    .map((a) => a.trim().toLowerCase())
    .filter((a) => a && !['id', 'schemas', 'meta'].includes(a));
  if (excluded.length === 0) return resource;
  return Object.fromEntries(
    Object.entries(resource).filter(([k]) => !excluded.includes(k.toLowerCase())),
  ) as T;
}

function objectOf(body: unknown, schema: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('Innholdet må være et objekt.');
  const o = body as Record<string, unknown>;
  if (!Array.isArray(o.schemas) || !o.schemas.includes(schema))
    throw invalid(`schemas må inneholde ${schema}.`);
  return o;
}

function trimmedText(value: unknown, field: string, max: number, required: boolean): string | null {
  if (value === undefined || value === null) {
    if (required) throw invalid(`${field} mangler.`);
    return null;
  }
  if (typeof value !== 'string') throw invalid(`${field} må være tekst.`);
  const text = value.trim();
  if ([...text].length < 1 || [...text].length > max || /[\p{Cc}\p{Cf}]/u.test(text))
    throw invalid(`${field} må ha mellom 1 og ${max} tegn uten kontrolltegn.`);
  return text;
}

interface UserInput {
  readonly userName: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly externalId: string | null;
  readonly active: boolean;
}

/** A User body (POST, PUT) or a patched User as what the directory stores; anything else is refused. */
function userInput(body: unknown, fromClient: boolean): UserInput {
  const o = fromClient ? objectOf(body, SCHEMA.user) : (body as Record<string, unknown>);
  const userName = trimmedText(o.userName, 'userName', 254, true)!;
  if (!USER_NAME.test(userName)) throw invalid('userName må ha 1–254 tegn uten mellomrom.');
  const name = o.name as { formatted?: unknown; givenName?: unknown; familyName?: unknown } | undefined;
  if (name !== undefined && (typeof name !== 'object' || name === null))
    throw invalid('name må være et objekt.');
  const parts = [name?.givenName, name?.familyName].filter(
    (p): p is string => typeof p === 'string' && !!p.trim(),
  );
  const display =
    (typeof o.displayName === 'string' && o.displayName.trim()) ||
    (typeof name?.formatted === 'string' && name.formatted.trim()) ||
    parts.map((p) => p.trim()).join(' ') ||
    null;
  if (display !== null && !NAME.test(display))
    throw invalid('displayName må ha 1–120 tegn uten kontrolltegn.');
  const emails = o.emails ?? [];
  if (!Array.isArray(emails)) throw invalid('emails må være en liste.');
  const list = emails as ({ value?: unknown; primary?: unknown } | null)[];
  const chosen = list.find((e) => e?.primary === true) ?? list[0];
  const address = chosen?.value;
  if (address !== undefined && (typeof address !== 'string' || address.length > 254 || !EMAIL.test(address)))
    throw invalid('emails[].value må være en e-postadresse.');
  return {
    userName,
    name: display,
    email: typeof address === 'string' ? address : null,
    externalId: trimmedText(o.externalId, 'externalId', 200, false),
    active: booleanOf(o.active ?? true),
  };
}

/** `active` as a boolean: Entra ID has sent it as the strings "True" and "False". */
function booleanOf(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid('active må være true eller false.');
}

/**
 * A PatchOp body applied to the current resource (scim-patch, RFC 7644 §3.5.2): operation names in any
 * case (Entra ID sends "Replace"), paths with filters (`members[value eq "…"]`, `emails[type eq "work"].value`).
 */
function applyPatch<T extends ScimUser | ScimGroup>(current: T, body: unknown): T {
  if (typeof body !== 'object' || body === null) throw invalid('Innholdet må være et objekt.');
  const patch = body as { schemas?: unknown; Operations?: unknown };
  if (!Array.isArray(patch.schemas) || !patch.schemas.includes(SCHEMA.patch))
    throw invalid(`schemas må inneholde ${SCHEMA.patch}.`);
  if (!Array.isArray(patch.Operations) || patch.Operations.length === 0)
    throw invalid('Operations må være en liste med minst én operasjon.');
  const operations = patch.Operations.map((op: unknown) => {
    const o = op as { op?: unknown; path?: unknown; value?: unknown } | null;
    if (typeof o?.op !== 'string' || !/^(add|remove|replace)$/i.test(o.op))
      throw invalid('op må være add, remove eller replace.');
    if (o.path !== undefined && typeof o.path !== 'string')
      throw invalid('path må være tekst.', 'invalidPath');
    // Read-only attributes are the server's: a change of them is refused.
    if (typeof o.path === 'string' && /^(id|meta|groups)(\b|\.|\[)/i.test(o.path))
      throw new ScimFault(400, `${o.path} kan ikke endres.`, 'mutability');
    return { ...o, op: o.op.toLowerCase() } as ScimPatchOperation;
  });
  try {
    return scimPatch(current, operations, { mutateDocument: false, treatMissingAsAdd: true });
  } catch (error) {
    if (error instanceof PatchError) {
      const path = /path|target|filter/i.test(error.message);
      throw invalid('Operasjonen kan ikke brukes på ressursen.', path ? 'invalidPath' : 'invalidValue');
    }
    throw error;
  }
}
