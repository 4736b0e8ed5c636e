import type { OpenAPIObject } from '@nestjs/swagger';
import { ROUTE_POLICIES, routeKey } from '../../libs/security/index.js';
import { startTestApi, type TestApi } from '../support/api.js';

/*
 * The OpenAPI document is a contract third-party clients generate code from (issue 13, item 15): types
 * as the API sends them, one Idempotency-Key header, formats and limits as the API checks them, and every
 * error answer of every operation documented as problem+json. Schemathesis checks the API against it
 * (test/e2e/contract-fuzz.spec.ts).
 */
type Json = Record<string, unknown>;
interface Operation {
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, { content?: Record<string, { schema?: Json }>; headers?: Json }>;
}

describe('the OpenAPI document', () => {
  let api: TestApi;
  let doc: OpenAPIObject;
  let operations: [key: string, op: Operation][];

  beforeAll(async () => {
    api = await startTestApi();
    const { openApiDocument } = await import('../../apps/api/bootstrap.js');
    doc = openApiDocument(api.app);
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(
        ([method, op]) => [routeKey(method, path), op] as [string, Operation],
      ),
    );
  });
  afterAll(() => api?.close());

  const schemas = () => Object.entries(doc.components?.schemas ?? {}) as [string, Json][];

  it('declares every property with its type: no number as a bare object', () => {
    const untyped = schemas().flatMap(([name, schema]) =>
      Object.entries((schema.properties ?? {}) as Record<string, Json>)
        .filter(([, p]) => p.type === 'object' && !p.properties && !p.allOf && !p.additionalProperties)
        .map(([prop]) => `${name}.${prop}`),
    );
    expect(untyped).toEqual([]);
    const cell = (doc.components?.schemas?.AdherenceCellDto as Json).properties as Record<string, Json>;
    expect(cell.onTimeRate).toMatchObject({ type: 'number', nullable: true });
  });

  it('has one Idempotency-Key header per operation, required where the API requires it', () => {
    for (const [key, op] of operations) {
      const headers = (op.parameters ?? []).filter(
        (p) => p.in === 'header' && String(p.name).toLowerCase() === 'idempotency-key',
      );
      expect(`${key}: ${headers.length}`).toMatch(/: [01]$/);
      if (headers[0]) expect(headers[0].name).toBe('Idempotency-Key');
    }
    const header = (key: string) =>
      operations.find(([k]) => k === key)![1].parameters!.find((p) => p.name === 'Idempotency-Key');
    expect(header('POST /api/placements')).toMatchObject({ required: true });
    expect(header('POST /api/tasks/{placementId}/{taskId}/notes')).toMatchObject({ required: true });
  });

  it('gives ids, limits, years and text their formats and bounds', () => {
    for (const [key, op] of operations)
      for (const p of op.parameters ?? []) {
        const schema = p.schema as Json;
        if (/^(placementId|probeId|networkId|serviceId)$/.test(String(p.name)))
          expect(`${key} ${String(p.name)} ${String(schema.format)}`).toBe(`${key} ${String(p.name)} uuid`);
        if (p.name === 'limit' || p.name === 'year')
          expect(`${key} ${p.name} ${String(schema.type)}`).toBe(`${key} ${p.name} integer`);
        if (p.name === 'cursor' || p.name === 'assignee' || p.name === 'taskId')
          expect(`${key} ${String(p.name)} ${String(schema.minLength)}`).toBe(`${key} ${String(p.name)} 1`);
      }
    const note = (doc.components?.schemas?.NoteBodyDto as Json).properties as Record<string, Json>;
    expect(note.text).toMatchObject({ minLength: 1, maxLength: 4000 });
  });

  it('documents every error answer of every operation as problem+json', () => {
    const missing: string[] = [];
    for (const [key, op] of operations) {
      const policy = ROUTE_POLICIES[key];
      const want = [429];
      if (policy && !policy.public) want.push(401, 403);
      if ((op.parameters ?? []).length > 0 || op.requestBody) want.push(400);
      if (op.requestBody) want.push(413, 415);
      if ((op.parameters ?? []).some((p) => p.in === 'path')) want.push(404);
      for (const status of want) {
        const schema = op.responses[String(status)]?.content?.['application/problem+json']?.schema;
        if (schema?.$ref !== '#/components/schemas/ProblemDetails') missing.push(`${key} ${status}`);
      }
      for (const [status, response] of Object.entries(op.responses))
        if (Number(status) >= 400 && !response.content?.['application/problem+json'])
          missing.push(`${key} ${status} not problem+json`);
    }
    expect(missing).toEqual([]);
    const register = operations.find(([k]) => k === 'POST /api/placements')![1];
    expect(Object.keys(register.responses).sort()).toEqual(
      ['201', '202', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503'].sort(),
    );
    // Every command to a placement's workflow answers 202 (outcome not known yet) and needs an
    // Idempotency-Key. (A note is written to PostgreSQL and answered at once: its key, no 202.)
    const takesKey = (op: (typeof operations)[number][1]) =>
      (op.parameters ?? []).some((p) => 'name' in p && p.name === 'Idempotency-Key');
    // A kompetansebase command (issue 17) answers the same way, its 202 naming the assignment.
    const kompetansebase = (k: string) => k.includes(' /api/kompetansebase/');
    const commands = operations.filter(
      ([k, op]) => takesKey(op) && k !== 'POST /api/tasks/{placementId}/{taskId}/notes',
    );
    expect(commands.length).toBeGreaterThan(10);
    expect(commands.filter(([k]) => kompetansebase(k)).length).toBe(5);
    for (const [key, op] of commands) {
      const pending = op.responses['202']?.content?.['application/json']?.schema as
        { $ref?: string } | undefined;
      const header = op.parameters?.find((p) => 'name' in p && p.name === 'Idempotency-Key') as
        { required?: boolean } | undefined;
      expect([key, pending?.$ref, header?.required, Object.keys(op.responses).includes('503')]).toEqual([
        key,
        kompetansebase(key)
          ? '#/components/schemas/AssignmentCommandPendingDto'
          : '#/components/schemas/CommandPendingDto',
        true,
        true,
      ]);
    }
    expect(register.responses['503']?.headers).toHaveProperty('Retry-After');
    expect(doc.components?.schemas?.ProblemDetails).toMatchObject({ required: ['type', 'title', 'status'] });
  });
});
