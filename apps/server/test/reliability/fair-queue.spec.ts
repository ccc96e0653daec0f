/** The policy threads' fair queue: round robin between lanes (tenants), at most perLane slots per lane,
 *  so a lane that holds nothing never waits behind another lane's running tasks. */
import { ResourceExhaustedError } from '@hpo/core';
import { FairQueue } from '../../src/suggestion/fair-queue';

function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

describe('FairQueue', () => {
  it('keeps a slot for another lane while one lane fills its share with slow tasks', async () => {
    const q = new FairQueue(2, 1, 100);
    const started: string[] = [];
    const slow = gate();
    const abuser = Array.from({ length: 5 }, (_, i) => q.run('abuser', async () => (started.push(`abuser-${i}`), slow.wait)));
    await Promise.resolve();
    expect(started).toEqual(['abuser-0']);
    // The bystander starts at once although five abuser tasks came first.
    await q.run('bystander', async () => started.push('bystander'));
    expect(started).toEqual(['abuser-0', 'bystander']);
    slow.open();
    await Promise.all(abuser);
    expect(started).toHaveLength(6);
  });

  it('takes lanes in turn when they all wait', async () => {
    const q = new FairQueue(1, 1, 100);
    const order: string[] = [];
    const first = gate();
    const runs = [q.run('a', async () => (order.push('a0'), first.wait))];
    for (let i = 1; i <= 3; i++) runs.push(q.run('a', async () => void order.push(`a${i}`)));
    for (let i = 0; i < 2; i++) runs.push(q.run('b', async () => void order.push(`b${i}`)));
    runs.push(q.run('c', async () => void order.push('c0')));
    first.open();
    await Promise.all(runs);
    expect(order).toEqual(['a0', 'a1', 'b0', 'c0', 'a2', 'b1', 'a3']);
  });

  it('refuses past maxWaiting with RESOURCE_EXHAUSTED and frees slots after failures', async () => {
    const q = new FairQueue(1, 1, 2);
    const hold = gate();
    const running = q.run('a', () => hold.wait);
    const waiting = [q.run('a', async () => 1), q.run('b', async () => 2)];
    await expect(q.run('c', async () => 3)).rejects.toBeInstanceOf(ResourceExhaustedError);
    hold.open();
    await running;
    expect(await Promise.all(waiting)).toEqual([1, 2]);
    await expect(q.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await q.run('a', async () => 'again')).toBe('again');
  });
});
