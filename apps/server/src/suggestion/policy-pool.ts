/** The worker-thread pool that runs suggestion and early-stopping policies (GP fitting must never block
 *  the event loop). Workers load the compiled dist/ files. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Piscina } from 'piscina';
import {
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  UnavailableError,
} from '@hpo/core';
import type { OptimalTrials, StopRequest, StopResult, StudyView, SuggestRequest, SuggestResult } from '@hpo/core';
import type { PolicyRunner } from './policy-runner';
import type { WorkerFailure } from './suggest.worker';
import { DEFAULT_LANE, FairQueue } from './fair-queue';
import { shippedRequest } from './shipped-history';
import type { HistoryRequest, NeedHistory } from './shipped-history';

/** dist/apps/server/src/suggestion/suggest.worker.js, also when this file runs from the TS sources. */
export function workerFile(): string {
  const here = path.join(__dirname, 'suggest.worker.js');
  if (fs.existsSync(here)) return here;
  const repoRoot = path.resolve(__dirname, '../../../..');
  return path.join(repoRoot, 'dist/apps/server/src/suggestion/suggest.worker.js');
}

export function defaultWorkerCount(): number {
  // One core stays with the event loop (gRPC, database).
  return Math.max(1, os.availableParallelism() - 1);
}

function rethrow(f: WorkerFailure['failure']): never {
  switch (f.code) {
    case 'INVALID_ARGUMENT':
      throw f.field !== undefined && f.rule !== undefined ? new InvalidArgumentError(f.field, f.rule) : new InvalidArgumentError('request', f.message);
    case 'NOT_FOUND':
      throw new NotFoundError(f.message);
    case 'FAILED_PRECONDITION':
      throw new FailedPreconditionError(f.message);
    case 'RESOURCE_EXHAUSTED':
      throw new ResourceExhaustedError(f.message);
    case 'UNAVAILABLE':
      throw new UnavailableError(f.message);
    default:
      throw new Error(`policy failed in worker: ${f.message}`);
  }
}

/** Policy tasks waiting for a thread (each holds a study snapshot). Per-study batching keeps this near
 *  the number of studies being served at once; past it, callers get RESOURCE_EXHAUSTED (backpressure)
 *  rather than the queue, and memory, growing without bound. */
export const MAX_QUEUED_POLICY_TASKS = 512;

/** Threads: `workers` (defaultWorkerCount: the cores but the event loop's) for any one tenant, plus one
 *  that only another tenant can take, so a tenant whose policies are slow (huge spaces, count=100)
 *  never makes another tenant's suggestion wait for a thread (FairQueue). */
export class PolicyPool implements PolicyRunner {
  private readonly pool: Piscina;
  private readonly queue: FairQueue;

  constructor(workers = defaultWorkerCount(), maxQueue = MAX_QUEUED_POLICY_TASKS) {
    const filename = workerFile();
    if (!fs.existsSync(filename)) throw new Error(`policy worker ${filename} is missing: run \`npm run build\` first`);
    // Every thread from the start: one started on demand loads the policies first (seconds on a busy
    // machine), which the task that needed it would wait for.
    this.pool = new Piscina({ filename, minThreads: workers + 1, maxThreads: workers + 1, idleTimeout: 60_000 });
    this.queue = new FairQueue(workers + 1, workers, maxQueue);
  }

  private runTask(request: unknown, name: string, lane: string): Promise<unknown> {
    return this.queue.run(lane, () => this.pool.run(request, { name }));
  }

  /** The policy's suggestions and the study's next policy state. A request with a `history` reference
   *  sends the thread only the trials changed since (shipped-history.ts); a thread that cannot rebuild
   *  the history from them is sent it whole. */
  async suggest(request: SuggestRequest, lane = DEFAULT_LANE): Promise<SuggestResult> {
    const run = async (whole: boolean) => (await this.runTask(shippedRequest(request as HistoryRequest, whole), 'suggest', lane)) as SuggestResult | WorkerFailure | NeedHistory;
    let r = await run(false);
    if ('needHistory' in r) r = await run(true);
    if ('needHistory' in r) throw new Error('policy thread refused a whole history');
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  /** The rule's decisions and the study's next policy state. */
  async decide(request: StopRequest, lane = DEFAULT_LANE): Promise<StopResult> {
    const r = (await this.runTask(request, 'decide', lane)) as StopResult | WorkerFailure;
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  /** The study's optimal trials (a GP fit when the study is noisy, hence in the pool). */
  async optimal(study: StudyView, lane = DEFAULT_LANE): Promise<OptimalTrials> {
    const r = (await this.runTask(study, 'optimal', lane)) as OptimalTrials | WorkerFailure;
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
