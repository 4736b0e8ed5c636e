import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  createPerson,
  DirectoryConflict,
  getPerson,
  listPeople,
  PEOPLE_MAX_IDLE_DAYS,
  updatePerson,
  type DirectoryActor,
  type DirectoryPerson,
} from '../../../libs/notifications/index.js';
import type { Scoped } from '../../../libs/security/index.js';
import { ProblemException } from '../common/problem.js';
import type { NewPersonDto, PersonBodyDto, PersonDto } from './people.dto.js';

const NOT_FOUND = 'Fant ikke denne personen.';
const DAY_MS = 86_400_000;

/**
 * The people page's API (administrators): everyone the system knows (the directory and those known from
 * their logins), and people added by hand, who can be given tasks before they first log in. Every write
 * is appended to people_changes in its transaction (libs/notifications/directory.ts).
 */
@Injectable()
export class PeopleDirectoryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(serviceId?: string): Promise<PersonDto[]> {
    return (await listPeople(this.dataSource, { organisation: serviceId })).map(toDto);
  }

  async create(principal: Scoped, body: NewPersonDto, requestId?: string): Promise<PersonDto> {
    return this.write(async (m) => {
      const known = await m.query<unknown[]>(
        `SELECT 1 FROM services WHERE id = $1::uuid UNION ALL SELECT 1 FROM people WHERE organisation = $1::uuid LIMIT 1`,
        [body.serviceId],
      );
      if (known.length === 0)
        throw new ProblemException(400, 'Ett eller flere felt er ugyldige.', [
          { field: 'serviceId', reason: 'finnes ikke' },
        ]);
      const person = await createPerson(
        m,
        'manual',
        {
          organisation: body.serviceId,
          name: body.name,
          userName: body.userName,
          email: body.email,
          roles: body.roles,
          active: true,
        },
        actor(principal, requestId),
      );
      return toDto(person);
    });
  }

  async replace(
    principal: Scoped,
    personId: string,
    body: PersonBodyDto,
    requestId?: string,
  ): Promise<PersonDto> {
    return this.write(async (m) => {
      const before = await getPerson(m, personId);
      if (!before) throw new ProblemException(404, NOT_FOUND);
      if (before.source === 'scim')
        throw new ProblemException(
          409,
          'Personen styres av identitetsleverandøren (SCIM): endre henne eller ham der.',
          [{ field: 'personId', reason: 'styres av identitetsleverandøren' }],
        );
      const after = await updatePerson(
        m,
        personId,
        {
          name: body.name,
          userName: body.userName,
          email: body.email,
          roles: body.roles,
          active: body.active,
        },
        actor(principal, requestId),
      );
      if (!after) throw new ProblemException(404, NOT_FOUND);
      return toDto(after);
    });
  }

  private async write<T>(work: (m: import('typeorm').EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (error instanceof DirectoryConflict)
        throw new ProblemException(409, 'Brukernavnet er allerede i bruk i denne tjenesten.', [
          { field: error.field, reason: error.reason },
        ]);
      throw error;
    }
  }
}

const actor = (principal: Scoped, requestId?: string): DirectoryActor => ({
  via: 'admin',
  userId: principal.userId,
  issuer: principal.issuer,
  organisation: principal.organisation,
  roles: principal.roles,
  requestId,
});

function toDto(p: DirectoryPerson): PersonDto {
  const recent = p.lastSeen !== null && Date.now() - Date.parse(p.lastSeen) < PEOPLE_MAX_IDLE_DAYS * DAY_MS;
  return {
    personId: p.personId,
    userId: p.userId,
    serviceId: p.organisation,
    name: p.name,
    userName: p.userName,
    email: p.email,
    roles: p.roles,
    active: p.active,
    source: p.source,
    loggedIn: p.loggedIn,
    lastSeen: p.lastSeen,
    assignable: p.active && p.roles.length > 0 && (p.source !== 'login' || recent),
    groups: p.groups,
  };
}
