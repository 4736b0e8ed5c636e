import type { DirectoryGroup, DirectoryPerson } from '../../../libs/notifications/index.js';

/*
 * SCIM 2.0 resources (RFC 7643) as this service offers them: a User is a person of the staff directory,
 * a Group one of a service's groups (each giving its members one role). What the discovery endpoints
 * describe is what the handlers read and write, nothing more.
 */

export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  list: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  patch: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  spc: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

export const BASE = '/scim/v2';
export const MAX_RESULTS = 200;

export interface ScimUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  name?: { formatted?: string; givenName?: string; familyName?: string };
  displayName?: string;
  active: boolean;
  emails: { value: string; type?: string; primary?: boolean }[];
  groups: { value: string; display: string; $ref: string }[];
  meta: { resourceType: 'User'; created: Date; lastModified: Date; location: string };
  [extra: string]: unknown;
}

export interface ScimGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  members: { value: string; $ref: string }[];
  meta: { resourceType: 'Group'; created: Date; lastModified: Date; location: string };
  [extra: string]: unknown;
}

export function userResource(p: DirectoryPerson, origin: string): ScimUser {
  return {
    schemas: [SCHEMA.user],
    id: p.personId,
    ...(p.externalId ? { externalId: p.externalId } : {}),
    userName: p.userName ?? p.email ?? p.userId,
    ...(p.name ? { name: { formatted: p.name }, displayName: p.name } : {}),
    active: p.active,
    emails: p.email ? [{ value: p.email, type: 'work', primary: true }] : [],
    groups: p.groups.map((g) => ({
      value: g.groupId,
      display: g.displayName,
      $ref: `${origin}${BASE}/Groups/${g.groupId}`,
    })),
    meta: {
      resourceType: 'User',
      created: new Date(p.created),
      lastModified: new Date(p.updated),
      location: `${origin}${BASE}/Users/${p.personId}`,
    },
  };
}

export function groupResource(g: DirectoryGroup, origin: string): ScimGroup {
  return {
    schemas: [SCHEMA.group],
    id: g.groupId,
    ...(g.externalId ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    members: g.members.map((m) => ({ value: m.personId, $ref: `${origin}${BASE}/Users/${m.personId}` })),
    meta: {
      resourceType: 'Group',
      created: new Date(g.created),
      lastModified: new Date(g.updated),
      location: `${origin}${BASE}/Groups/${g.groupId}`,
    },
  };
}

export const serviceProviderConfig = (origin: string) => ({
  schemas: [SCHEMA.spc],
  documentationUri: `${origin}/docs`,
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_RESULTS },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: "The service's own SCIM token (SCIM_TENANTS), sent as Authorization: Bearer.",
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${origin}${BASE}/ServiceProviderConfig` },
});

export const resourceTypes = (origin: string) => [
  {
    schemas: [SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'A member of staff: can be given tasks of the roles of their groups.',
    schema: SCHEMA.user,
    meta: { resourceType: 'ResourceType', location: `${origin}${BASE}/ResourceTypes/User` },
  },
  {
    schemas: [SCHEMA.resourceType],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'A group of staff of the service; its name gives its members a role.',
    schema: SCHEMA.group,
    meta: { resourceType: 'ResourceType', location: `${origin}${BASE}/ResourceTypes/Group` },
  },
];

const attribute = (
  name: string,
  type: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

export const schemas = (origin: string) => [
  {
    schemas: [SCHEMA.schema],
    id: SCHEMA.user,
    name: 'User',
    description: 'User Account',
    attributes: [
      attribute('userName', 'string', { required: true, uniqueness: 'server' }),
      attribute('externalId', 'string', { caseExact: true }),
      attribute('name', 'complex', {
        subAttributes: [
          attribute('formatted', 'string'),
          attribute('givenName', 'string'),
          attribute('familyName', 'string'),
        ],
      }),
      attribute('displayName', 'string'),
      attribute('active', 'boolean'),
      attribute('emails', 'complex', {
        multiValued: true,
        subAttributes: [
          attribute('value', 'string'),
          attribute('type', 'string'),
          attribute('primary', 'boolean'),
        ],
      }),
      attribute('groups', 'complex', {
        multiValued: true,
        mutability: 'readOnly',
        subAttributes: [
          attribute('value', 'string', { mutability: 'readOnly' }),
          attribute('display', 'string', { mutability: 'readOnly' }),
          attribute('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['Group'] }),
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${origin}${BASE}/Schemas/${SCHEMA.user}` },
  },
  {
    schemas: [SCHEMA.schema],
    id: SCHEMA.group,
    name: 'Group',
    description: 'Group',
    attributes: [
      attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
      attribute('externalId', 'string', { caseExact: true }),
      attribute('members', 'complex', {
        multiValued: true,
        subAttributes: [
          attribute('value', 'string', { mutability: 'immutable' }),
          attribute('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User'] }),
        ],
      }),
    ],
    meta: { resourceType: 'Schema', location: `${origin}${BASE}/Schemas/${SCHEMA.group}` },
  },
];
