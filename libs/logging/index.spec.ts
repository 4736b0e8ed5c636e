import { parseConfig } from '../config/config.js';
import { loggerOptions, routeShape } from './index.js';

describe('routeShape', () => {
  it('keeps the words of a route and drops every value', () => {
    expect(routeShape('/api/tasks?status=open&assignee=kp-1')).toBe('/api/tasks');
    expect(routeShape('/api/placements/8f0e6a3c-1b2d-4c5e-9f00-112233445566/timeline')).toBe(
      '/api/placements/:id/timeline',
    );
    expect(routeShape('/api/tasks/8f0e6a3c-1b2d-4c5e-9f00-112233445566/oppfolgingsbesok%232/complete')).toBe(
      '/api/tasks/:id/:id/complete',
    );
    expect(routeShape('/api/x/12345678901')).toBe('/api/x/:id');
    expect(routeShape('/api/x/Ola%20Nordmann')).toBe('/api/x/:id');
  });
});

describe('request log lines', () => {
  const options = loggerOptions(parseConfig({ DATABASE_URL: 'postgres://u:p@h:5432/d' }), 'api');
  const serializers = options.serializers as Record<string, (value: unknown) => unknown>;

  it('hold the shape of the path and the status, not the URL or the headers', () => {
    expect(
      serializers.req?.({
        id: 'r1',
        method: 'GET',
        url: '/api/tasks/8f0e6a3c-1b2d-4c5e-9f00-112233445566/x?q=1',
      }),
    ).toEqual({ id: 'r1', method: 'GET', route: '/api/tasks/:id/x' });
    expect(
      serializers.res?.({ statusCode: 200, headers: { 'content-security-policy': "default-src 'self'" } }),
    ).toEqual({ statusCode: 200 });
  });
});
