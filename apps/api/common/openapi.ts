import type { OpenAPIObject } from '@nestjs/swagger';
import { ROUTE_POLICIES, routeKey } from '../../../libs/security/index.js';
import { RETRY_AFTER_SECONDS } from './problem-details.filter.js';

/*
 * What the decorators do not say, added to the generated OpenAPI document in one place, from the same
 * facts the code acts on (the route policy table, the path parameters, the request bodies):
 * - every error answer a route gives, with the problem+json schema (RFC 9457, `errors` naming fields);
 * - one `Idempotency-Key` header per operation (Nest documents the `@Headers()` parameter as well);
 * - UUID path parameters as `format: uuid`, task ids as non-empty text without control characters.
 * test/integration/api-openapi.spec.ts checks the result; Schemathesis (test/e2e/contract-fuzz.spec.ts)
 * checks the API against it.
 */

type Json = Record<string, unknown>;
interface Operation {
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

const PROBLEM_REF = { $ref: '#/components/schemas/ProblemDetails' };

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; title, detail and reasons in Norwegian bokmål.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', example: 'about:blank' },
    title: { type: 'string', example: 'Ugyldig forespørsel' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request, by id (urn:omsorgspakken:request:…).' },
    errors: {
      type: 'array',
      description: 'Which field was wrong and why.',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: { field: { type: 'string' }, reason: { type: 'string' } },
      },
    },
  },
  // The readiness check's 503 reports each dependency (info, error, details) as extension members.
  additionalProperties: true,
};

const RETRY_AFTER = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 1, example: RETRY_AFTER_SECONDS },
  },
};

const ANSWERS: Readonly<Record<number, string>> = {
  400: 'Bad input: `errors` names each field and why (unknown fields, malformed ids, business rules).',
  401: 'No valid bearer token.',
  403: 'The role may not use this route (logged), or not on this resource.',
  404: 'Not found, or not visible to the caller (the same answer).',
  409: 'Conflict with the current state (the package moved on, ended or stopped; a name or version in use).',
  410: "The child's personal data was purged after the retention period.",
  413: 'Body larger than 100 kB.',
  415: 'Body not sent as application/json.',
  422: 'The Idempotency-Key was used before for a request with other content.',
  429: 'Too many requests: see Retry-After.',
  503: 'PostgreSQL or Temporal cannot be reached right now: see Retry-After.',
};

/** A date as the domain takes it: YYYY-MM-DD, years 1000–9999 (libs/domain/calendar/dates.ts). */
const DATE_PATTERN = '^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';
/** Body text: no control characters but tab and line breaks (common/input-text.ts). */
const BODY_TEXT = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';
/** Query and path text: no control characters at all. */
const PARAMETER_TEXT = '^[^\\u0000-\\u001f\\u007f]*$';

/** The pattern the API holds a string to, when the schema says no more precise one. */
function withTextPattern(schema: Json, pattern: string): void {
  if (schema.type !== 'string' || schema.pattern || schema.enum) return;
  if (schema.format === 'date') schema.pattern = DATE_PATTERN;
  else if (schema.format === undefined) schema.pattern = pattern;
}

/** UUID path parameters (ParseUUIDPipe in the controllers: anything else is a 400 naming it). */
const UUID_PARAMETERS = new Set([
  'placementId',
  'probeId',
  'networkId',
  'serviceId',
  'commandId',
  'assignmentId',
  'personId',
]);

/** The routes that touch neither PostgreSQL nor Temporal. */
const NO_DEPENDENCY = new Set([
  'GET /health/live',
  'GET /.well-known/jwks.json',
  'GET /api/auth/config',
  'GET /api/dev/users',
]);

/** Answers beyond those every route of its kind gives (see `answersOf`). */
function extraAnswers(method: string, path: string): number[] {
  const extra: number[] = [];
  const command =
    method === 'post' &&
    (path === '/api/placements' ||
      /^\/api\/placements\/\{placementId\}\/(pause|resume|end|annul|change|reductions|ad-hoc-tasks)$/.test(
        path,
      ) ||
      /^\/api\/tasks\/\{placementId\}\/\{taskId\}\/(complete|waive|reassign|claim|unclaim)$/.test(path) ||
      /^\/api\/tasks\/\{placementId\}\/\{taskId\}\/waiver-request(\/cosign|\/decline)?$/.test(path));
  if (command || path.endsWith('/change/preview')) extra.push(409, 404);
  // Every command claims its Idempotency-Key for its body: the key with another body is 422.
  const kompetansebaseCommand =
    method === 'post' &&
    (path === '/api/kompetansebase/orders' ||
      /^\/api\/kompetansebase\/assignments\/\{assignmentId\}\/(accept|decline|wait|tasks\/\{taskId\}\/complete)$/.test(
        path,
      ));
  if (command || kompetansebaseCommand) extra.push(422);
  if (path.includes('/personal-data') || path.endsWith('/notes')) extra.push(410);
  if (path.endsWith('/personal-data/purge')) extra.push(409);
  if (path.endsWith('/case-number')) extra.push(409);
  if (path.endsWith('/foster-family')) extra.push(410);
  if (path.includes('/waiver')) extra.push(410);
  if (method === 'post' && path.endsWith('/notes')) extra.push(422);
  // The import: a file that is not a usable CSV as a whole (not UTF-8, unknown or missing columns).
  if (method === 'post' && path === '/api/imports/placements') extra.push(422);
  if ((method === 'post' || method === 'put') && path.startsWith('/api/reference/')) extra.push(409);
  if (method === 'post' && path === '/api/catalogs') extra.push(409);
  if (method === 'get' && path === '/calendar/{token}.ics') extra.push(404);
  if (path.startsWith('/api/council-reports')) extra.push(method === 'post' ? 409 : 404);
  return extra;
}

function answersOf(method: string, path: string, op: Operation): number[] {
  const key = routeKey(method.toUpperCase(), path);
  const policy = ROUTE_POLICIES[key];
  const parameters = op.parameters ?? [];
  const answers = new Set<number>([429]);
  if (!NO_DEPENDENCY.has(key)) answers.add(503);
  if (!policy || !policy.public) [401, 403].forEach((s) => answers.add(s));
  if (parameters.length > 0 || op.requestBody) answers.add(400);
  if (op.requestBody) [413, 415].forEach((s) => answers.add(s));
  if (parameters.some((p) => p.in === 'path')) answers.add(404);
  extraAnswers(method, path).forEach((s) => answers.add(s));
  return [...answers].sort((a, b) => a - b);
}

/** One Idempotency-Key header: the documented one (ApiHeader) with the pattern the API checks. */
function idempotencyKey(parameters: Json[]): Json[] {
  const keys = parameters.filter(
    (p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key',
  );
  if (keys.length === 0) return parameters;
  const documented = keys.find((p) => p.name === 'Idempotency-Key') ?? keys[0];
  const header = {
    name: 'Idempotency-Key',
    in: 'header',
    required: documented.required === true,
    description: documented.description,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{8,100}$', minLength: 8, maxLength: 100 },
  };
  return [...parameters.filter((p) => !keys.includes(p)), header];
}

function pathParameter(p: Json): Json {
  if (p.in === 'query' && p.schema) withTextPattern(p.schema as Json, PARAMETER_TEXT);
  if (p.in !== 'path') return p;
  if (p.name === 'probeId')
    // A probe id is a version 4 UUID (ParseUUIDPipe({ version: '4' })).
    return {
      ...p,
      schema: {
        type: 'string',
        format: 'uuid',
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$',
      },
    };
  if (UUID_PARAMETERS.has(String(p.name))) return { ...p, schema: { type: 'string', format: 'uuid' } };
  // A parameter whose route declares its pattern (ApiParam) keeps it.
  if (typeof (p.schema as Json | undefined)?.pattern === 'string') return p;
  // Free-form ids (a task id such as `samtale#1`, a catalog version): text without control characters.
  return {
    ...p,
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' },
  };
}

/**
 * The API refuses unknown fields (400 naming them): every object a request body may hold says so, with
 * `additionalProperties: false`, unless it declares what else it takes (a catalog, validated by the domain).
 */
function closeRequestSchemas(doc: OpenAPIObject): void {
  const schemas = (doc.components?.schemas ?? {}) as Record<string, Json>;
  const seen = new Set<string>();
  const visit = (schema: unknown): void => {
    if (typeof schema !== 'object' || schema === null) return;
    const s = schema as Json;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return;
      seen.add(name);
      return visit(schemas[name]);
    }
    if (s.type === 'object' || s.properties) {
      s.additionalProperties ??= false;
      Object.values((s.properties ?? {}) as Record<string, unknown>).forEach(visit);
    }
    withTextPattern(s, BODY_TEXT);
    if (s.items) visit(s.items);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const)
      if (Array.isArray(s[key])) (s[key] as unknown[]).forEach(visit);
  };
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item as Record<string, Operation>)) {
      const content = (op.requestBody?.content ?? {}) as Record<string, { schema?: unknown }>;
      Object.values(content).forEach((c) => visit(c.schema));
    }
}

export function completeOpenApi(doc: OpenAPIObject): OpenAPIObject {
  closeRequestSchemas(doc);
  doc.components ??= {};
  doc.components.schemas = { ...doc.components.schemas, ProblemDetails: PROBLEM_SCHEMA };
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, value] of Object.entries(item as Record<string, unknown>)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const op = value as Operation;
      op.parameters = idempotencyKey(op.parameters ?? []).map(pathParameter);
      if (op.parameters.length === 0) delete op.parameters;
      // Every error answer is problem+json (the filter's), also those a decorator documented otherwise.
      const documented = Object.keys(op.responses)
        .map(Number)
        .filter((status) => status >= 400);
      for (const status of new Set([...answersOf(method, path, op), ...documented])) {
        const existing = op.responses[String(status)];
        op.responses[String(status)] = {
          description: existing?.description || ANSWERS[status] || 'Error',
          ...(status === 429 || status === 503 ? { headers: RETRY_AFTER } : {}),
          content: {
            'application/problem+json': { schema: PROBLEM_REF },
          },
        };
      }
    }
  }
  return doc;
}
