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

export class PolicyPool implements PolicyRunner {
  private readonly pool: Piscina;

  constructor(workers = defaultWorkerCount(), maxQueue = MAX_QUEUED_POLICY_TASKS) {
    const filename = workerFile();
    if (!fs.existsSync(filename)) throw new Error(`policy worker ${filename} is missing: run \`npm run build\` first`);
    this.pool = new Piscina({ filename, minThreads: 1, maxThreads: workers, idleTimeout: 60_000, maxQueue });
  }

  private async runTask(request: unknown, name: string): Promise<unknown> {
    try {
      return await this.pool.run(request, { name });
    } catch (error) {
      if (/queue is at limit/i.test(String((error as Error)?.message))) {
        throw new ResourceExhaustedError(`server busy: ${this.pool.queueSize} policy tasks are waiting for a thread; retry after 1 s`, 1);
      }
      throw error;
    }
  }

  /** The policy's suggestions and the study's next policy state. */
  async suggest(request: SuggestRequest): Promise<SuggestResult> {
    const r = (await this.runTask(request, 'suggest')) as SuggestResult | WorkerFailure;
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  /** The rule's decisions and the study's next policy state. */
  async decide(request: StopRequest): Promise<StopResult> {
    const r = (await this.runTask(request, 'decide')) as StopResult | WorkerFailure;
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  /** The study's optimal trials (a GP fit when the study is noisy, hence in the pool). */
  async optimal(study: StudyView): Promise<OptimalTrials> {
    const r = (await this.runTask(study, 'optimal')) as OptimalTrials | WorkerFailure;
    if ('failure' in r) rethrow(r.failure);
    return r;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
