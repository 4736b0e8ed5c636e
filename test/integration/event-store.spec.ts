import { migrations } from '../../libs/database/migrations/index.js';
import { randomUUID } from 'node:crypto';
import { EventStore, StreamVersionConflictError, type StreamRef } from '../../libs/event-store/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

describe('event store (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: EventStore;
  const newStream = (): StreamRef => ({ streamType: 'placement', streamId: randomUUID() });
  const event = (type = 'Happened') => ({ eventId: randomUUID(), type, payload: { n: 1 } });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new EventStore(db.dataSource);
  });
  afterAll(() => db.drop());

  it('appends in order and reads the stream back', async () => {
    const stream = newStream();
    await store.append(stream, 0, [event('A'), event('B')]);
    await store.append(stream, 2, [event('C')]);
    const events = await store.readStream(stream);
    expect(events.map((e) => [e.streamVersion, e.type])).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ]);
  });

  it('records at now() unless the caller gives a history its recorded times', async () => {
    const stream = newStream();
    const [{ now }] = await db.dataSource.query<{ now: Date }[]>(`SELECT now()`);
    await store.append(stream, 0, [event('A')]);
    await store.append(stream, 1, [
      { ...event('B'), recordedAt: '2024-01-02T03:04:05.678Z' },
      { ...event('C'), recordedAt: '2024-01-03T00:00:00.000Z' },
    ]);
    const [a, b, c] = await store.readStream(stream);
    expect(a.recordedAt.getTime()).toBeGreaterThanOrEqual(now.getTime());
    expect([b.recordedAt.toISOString(), c.recordedAt.toISOString()]).toEqual([
      '2024-01-02T03:04:05.678Z',
      '2024-01-03T00:00:00.000Z',
    ]);
  });

  it('treats a repeated append with the same event ids as already done', async () => {
    const stream = newStream();
    const batch = [event(), event()];
    expect(await store.append(stream, 0, batch)).toEqual({ appended: true, version: 2 });
    expect(await store.append(stream, 0, batch)).toEqual({ appended: false, version: 2 });
    expect(await store.append(stream, 'any', batch)).toEqual({ appended: false, version: 2 });
    expect(await store.readStream(stream)).toHaveLength(2);
  });

  it('lets exactly one of many concurrent writers at the same expected version win', async () => {
    const stream = newStream();
    await store.append(stream, 0, [event()]);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => store.append(stream, 1, [event()])),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(11);
    for (const r of lost) expect(r.reason).toBeInstanceOf(StreamVersionConflictError);
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('appends every concurrent "any" writer exactly once, with contiguous versions', async () => {
    const stream = newStream();
    await Promise.all(Array.from({ length: 8 }, () => store.append(stream, 'any', [event()])));
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('absorbs the same append sent concurrently (a retried activity racing itself)', async () => {
    const stream = newStream();
    const batch = [event()];
    const results = await Promise.all(Array.from({ length: 6 }, () => store.append(stream, 'any', batch)));
    expect(results.filter((r) => r.appended)).toHaveLength(1);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('rejects UPDATE, DELETE and TRUNCATE: the table is append-only', async () => {
    const stream = newStream();
    await store.append(stream, 0, [event()]);
    const q = (sql: string) => db.dataSource.query(sql, []);
    await expect(q(`UPDATE events SET type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(q(`DELETE FROM events`)).rejects.toThrow(/append-only/);
    await expect(q(`TRUNCATE events`)).rejects.toThrow(/append-only/);
    expect(await store.readStream(stream)).toHaveLength(1);
  });

  it('rejects an empty append and a batch that reuses stored ids elsewhere', async () => {
    const stream = newStream();
    await expect(store.append(stream, 0, [])).rejects.toThrow(/at least one event/);
    const e = event();
    await store.append(stream, 0, [e]);
    await expect(store.append(newStream(), 0, [e])).rejects.toThrow(/ids are not unique/);
  });

  it('was migrated through TypeORM migrations, not synchronize', async () => {
    const rows: { name: string }[] = await db.dataSource.query('SELECT name FROM migrations ORDER BY id');
    expect(rows.map((r) => r.name)).toEqual(migrations.map((m) => m.name));
  });
});
