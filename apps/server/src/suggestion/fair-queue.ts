/** Fair sharing of the policy threads between tenants (issue 19, finding 2: one tenant's slow policies
 *  must not stall another's suggestions). Tasks wait in one FIFO per lane (a tenant); a free slot goes to
 *  the next lane in round-robin order, and no lane holds more than `perLane` slots at once. With one
 *  slot more than `perLane`, a task of a lane that holds nothing never waits behind another lane's
 *  running tasks, however long they take: it waits only for its own lane's earlier tasks and for one
 *  task of each other lane waiting before it. */
import { ResourceExhaustedError } from '@hpo/core';

/** The lane of tasks that name none (tools, tests). */
export const DEFAULT_LANE = '';

export class FairQueue {
  private running = 0;
  private waitingCount = 0;
  private readonly runningByLane = new Map<string, number>();
  /** Lanes with waiting tasks, in round-robin order (a Map keeps insertion order). */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    readonly slots: number,
    readonly perLane: number,
    /** Waiting tasks beyond which a new one is refused (RESOURCE_EXHAUSTED): each holds a study snapshot. */
    readonly maxWaiting: number,
  ) {
    if (slots < 1 || perLane < 1) throw new Error('FairQueue needs at least one slot per lane');
  }

  get queued(): number {
    return this.waitingCount;
  }

  /** Runs `task` once a slot is free for `lane`. */
  async run<T>(lane: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(lane);
    try {
      return await task();
    } finally {
      this.release(lane);
    }
  }

  private acquire(lane: string): Promise<void> {
    if (this.waitingCount >= this.maxWaiting) {
      throw new ResourceExhaustedError(`server busy: ${this.waitingCount} policy tasks are waiting for a thread; retry after 1 s`, 1);
    }
    return new Promise<void>((resolve) => {
      const queue = this.waiting.get(lane);
      if (queue) queue.push(resolve);
      else this.waiting.set(lane, [resolve]);
      this.waitingCount++;
      this.dispatch();
    });
  }

  private release(lane: string): void {
    this.running--;
    const held = (this.runningByLane.get(lane) ?? 1) - 1;
    if (held > 0) this.runningByLane.set(lane, held);
    else this.runningByLane.delete(lane);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.running < this.slots) {
      let next: string | undefined;
      for (const lane of this.waiting.keys()) {
        if ((this.runningByLane.get(lane) ?? 0) < this.perLane) {
          next = lane;
          break;
        }
      }
      if (next === undefined) return;
      const queue = this.waiting.get(next)!;
      const start = queue.shift()!;
      // Round robin: the lane goes to the back of the order (or leaves it when it has nothing left).
      this.waiting.delete(next);
      if (queue.length > 0) this.waiting.set(next, queue);
      this.waitingCount--;
      this.running++;
      this.runningByLane.set(next, (this.runningByLane.get(next) ?? 0) + 1);
      start();
    }
  }
}
