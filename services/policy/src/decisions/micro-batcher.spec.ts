import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('ok/requests in one turn share one flush, each gets its own result', async () => {
    const sizes: number[] = [];
    const b = new MicroBatcher<number, number>(async (xs) => {
      sizes.push(xs.length);
      return xs.map((x) => x * 2);
    }, 3);
    await expect(Promise.all([1, 2, 3, 4, 5].map((x) => b.submit(x)))).resolves.toEqual([2, 4, 6, 8, 10]);
    expect(sizes).toEqual([3, 2]);
  });

  it('fail/a per-item error rejects only that item', async () => {
    const b = new MicroBatcher<number, number>(async (xs) => xs.map((x) => (x === 2 ? new Error('two') : x)));
    const [one, two] = await Promise.allSettled([b.submit(1), b.submit(2)]);
    expect(one).toMatchObject({ status: 'fulfilled', value: 1 });
    expect(two).toMatchObject({ status: 'rejected' });
  });

  it('fail/a failed flush rejects the whole batch', async () => {
    const b = new MicroBatcher<number, number>(async () => {
      throw Object.assign(new Error('db down'), { code: 'UNAVAILABLE' });
    });
    await expect(b.submit(1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
