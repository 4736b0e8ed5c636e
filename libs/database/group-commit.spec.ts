import { GroupCommit } from './group-commit.js';

/** A write that finishes when the test says so. */
function controlledWriter() {
  const writes: { items: readonly number[]; finish: (error?: Error) => void }[] = [];
  const write = (items: readonly number[]) =>
    new Promise<void>((resolve, reject) =>
      writes.push({ items, finish: (error) => (error ? reject(error) : resolve()) }),
    );
  return { writes, write };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes at once when idle, and groups what arrives while a write is in flight', async () => {
    const { writes, write } = controlledWriter();
    const group = new GroupCommit(write);
    const done: number[] = [];
    const track = (n: number) => group.add(n).then(() => done.push(n));

    const first = track(1);
    await settled();
    expect(writes.map((w) => w.items)).toEqual([[1]]);
    const rest = [track(2), track(3), track(4)];
    await settled();
    expect(writes).toHaveLength(1); // waiting for the write in flight
    expect(done).toEqual([]); // nobody goes on before their item is committed

    writes[0]?.finish();
    await first;
    await settled();
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3, 4]]);
    expect(done).toEqual([1]);
    writes[1]?.finish();
    await Promise.all(rest);
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it('rejects exactly the items of a failed write and goes on with the next', async () => {
    const { writes, write } = controlledWriter();
    const group = new GroupCommit(write);
    const a = group.add(1);
    await settled();
    const b = group.add(2);
    const c = group.add(3);
    writes[0]?.finish(new Error('disk full'));
    await expect(a).rejects.toThrow('disk full');
    await settled();
    writes[1]?.finish();
    await expect(Promise.all([b, c])).resolves.toEqual([undefined, undefined]);
  });

  it('caps a batch', async () => {
    const { writes, write } = controlledWriter();
    const group = new GroupCommit(write, 2);
    const all = [1, 2, 3, 4, 5].map((n) => group.add(n));
    for (let i = 0; i < 3; i++) {
      await settled();
      writes[i]?.finish();
    }
    await Promise.all(all);
    expect(writes.map((w) => w.items)).toEqual([[1], [2, 3], [4, 5]]);
  });
});
