import type request from 'supertest';
import type { TestApi } from './api.js';

/*
 * What bad input must never do (test/integration/api-input*.spec.ts): answer other than 4xx
 * application/problem+json, show a stack trace, echo a planted national id number or name, or change the
 * database.
 */

/** A planted fødselsnummer and name: never in an error body, nor in the logs. */
export const FNR = '15076500565';
export const NAME = 'Kari Testesen Nordmann';

/** What bad input must leave as it was: the events, the access log, the inbox and the placements. */
export const snapshotOf = (api: TestApi): Promise<unknown> =>
  api.db.dataSource.query<unknown[]>(
    `SELECT (SELECT count(*) FROM events) AS events,
            (SELECT count(*) FROM access_log) AS access_log,
            (SELECT md5(string_agg(t::text, ',' ORDER BY placement_id, task_id)) FROM task_inbox t) AS inbox,
            (SELECT md5(string_agg(p::text, ',' ORDER BY placement_id)) FROM placements p) AS placements`,
  );

/** A 4xx problem+json answer, with no stack trace and nothing planted in it. */
export const isProblem = (res: request.Response) => {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const text = JSON.stringify(res.body);
  expect(text).not.toMatch(/\bat .*\.(ts|js):\d+|stack/i);
  expect(text).not.toContain(FNR);
  expect(text).not.toContain(NAME);
};
