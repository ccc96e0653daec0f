/** N simulated workers driving suggest → complete cycles through the real SDK (HpoClient), recording
 *  what they were handed and what was acknowledged in a Ledger, and the latency of every call. Shared
 *  by the load harness (load.ts) and the fault tests. */
import { HpoClient } from '../../apps/client-sdk/src/client';
import { HpoClientError } from '../../apps/client-sdk/src/errors';
import type { Assignment } from '../../apps/client-sdk/src/types';
import { Ledger } from './load-ledger';

export interface WorkerRunOptions {
  /** grpc-js target (one address, or roundRobinTarget(replicas)). */
  target: string;
  channelOptions?: Record<string, unknown>;
  apiKey?: string;
  /** Study names; worker i works on studies[i % studies.length]. */
  studies: string[];
  workers: number;
  /** HpoClients (HTTP/2 connections) the workers share; default min(workers, 32). */
  channels?: number;
  /** Objective metric name (default "objective"). */
  metric?: string;
  ledger: Ledger;
  /** Stop starting new cycles after this long (also stops when every study is done). */
  durationMs?: number;
  /** "Training" time between suggest and complete. */
  trainMs?: number;
  /** Deadline of one call attempt (default 60 s). */
  timeoutMs?: number;
  /** Prefix of client ids (default "w"); worker i is `${prefix}${i}`. */
  clientPrefix?: string;
  signal?: AbortSignal;
  /** Called after each acknowledged completion (fault injection counts progress with it). */
  onCycle?: (completed: number) => void;
  /** Fault injection: the chance that a call is cut off from the client side a few milliseconds after
   *  it was sent (cancelled, and the worker's connection closed and reopened), as when a worker's
   *  network drops. Such workers get a connection of their own. */
  dropProbability?: number;
}

export interface WorkerRunResult {
  cycles: number;
  elapsedMs: number;
  suggestMs: number[];
  completeMs: number[];
  /** SuggestTrials + CompleteTrial of one trial, without the training time. */
  cycleMs: number[];
}

/** A smooth deterministic objective of the assignment (the value is what the invariants compare). */
export function objectiveOf(parameters: Assignment): number {
  let v = 0;
  for (const [k, x] of Object.entries(parameters)) v += typeof x === 'number' ? x * x : k.length;
  return v;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Codes after which the same call is simply tried again (the server or the network hiccupped). */
const TRANSIENT = new Set(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED', 'RESOURCE_EXHAUSTED', 'UNKNOWN', 'INTERNAL']);

function codeOf(error: unknown): string {
  return error instanceof HpoClientError ? error.code : 'CLIENT';
}

/** The server's retry hint (trailing metadata retry-after-ms), jittered so that rejected callers spread. */
export function retryDelayMs(error: unknown, fallbackMs = 100): number {
  const hinted = error instanceof HpoClientError ? Number(error.metadata?.get('retry-after-ms')?.[0]) : NaN;
  const base = Number.isFinite(hinted) && hinted > 0 ? hinted : fallbackMs;
  return base * (0.5 + Math.random());
}

export async function runWorkers(o: WorkerRunOptions): Promise<WorkerRunResult> {
  const channelCount = Math.max(1, Math.min(o.workers, o.channels ?? 32));
  const newClient = (): HpoClient =>
    new HpoClient({
      address: o.target,
      apiKey: o.apiKey,
      timeoutMs: o.timeoutMs ?? 60_000,
      retry: { maxAttempts: 4, initialDelayMs: 50, maxDelayMs: 1000 },
      // Own subchannels per client: N HTTP/2 connections, as N worker processes would open.
      channelOptions: { ...(o.channelOptions ?? {}), 'grpc.use_local_subchannel_pool': 1 },
    });
  const clients = Array.from({ length: channelCount }, newClient);
  const dropping = (o.dropProbability ?? 0) > 0;
  let allDone = false;
  const metric = o.metric ?? 'objective';
  const result: WorkerRunResult = { cycles: 0, elapsedMs: 0, suggestMs: [], completeMs: [], cycleMs: [] };
  const started = Date.now();
  const deadline = o.durationMs !== undefined ? started + o.durationMs : Infinity;
  const finished = new Set<string>();
  const stopped = (): boolean => o.signal?.aborted === true || Date.now() > deadline;

  async function studyFinished(client: HpoClient, study: string): Promise<boolean> {
    if (finished.has(study)) return true;
    const s = await client.getStudy(study).catch(() => undefined);
    const c = s?.trialCounts;
    // Done says no new trials; the study has finished when nobody holds one (a dead worker's trial
    // must expire and be redone first).
    if (c && c.active + c.stopping + c.requested + c.paused === 0) finished.add(study);
    return finished.has(study);
  }

  async function worker(i: number): Promise<void> {
    let client = dropping ? newClient() : clients[i % clients.length];
    if (dropping) clients.push(client);
    /** Call options that may cut the call off (and then the connection) shortly after it starts. */
    const maybeDrop = (): { signal?: AbortSignal } => {
      if (!dropping || Math.random() >= (o.dropProbability ?? 0)) return {};
      const controller = new AbortController();
      const victim = client;
      setTimeout(() => {
        controller.abort();
        victim.close();
        if (allDone) return;
        client = newClient();
        clients.push(client);
      }, Math.random() * 4);
      return { signal: controller.signal };
    };
    const study = o.studies[i % o.studies.length];
    const clientId = `${o.clientPrefix ?? 'w'}${i}`;
    while (!stopped() && !finished.has(study)) {
      const t0 = performance.now();
      let trials;
      try {
        const r = await client.suggestTrials({ parent: study, count: 1, clientId }, maybeDrop());
        if (r.trials.length === 0) {
          if (r.studyDone && (await studyFinished(client, study))) return;
          await sleep(100);
          continue;
        }
        trials = r.trials;
      } catch (error) {
        const code = codeOf(error);
        o.ledger.error(`SuggestTrials ${code}`);
        if (!TRANSIENT.has(code)) throw error;
        await sleep(retryDelayMs(error));
        continue;
      }
      const t1 = performance.now();
      const trial = trials[0];
      o.ledger.handedOut(trial.name, clientId);
      if (o.trainMs) await sleep(o.trainMs);
      const value = objectiveOf(trial.parameters);
      const t2 = performance.now();
      for (;;) {
        try {
          await client.completeTrial({ name: trial.name, finalMeasurement: { step: 1, metrics: { [metric]: value } } }, maybeDrop());
          o.ledger.acknowledged(trial.name, value);
          result.cycles++;
          o.onCycle?.(result.cycles);
          break;
        } catch (error) {
          const code = codeOf(error);
          o.ledger.error(`CompleteTrial ${code}`);
          // FAILED_PRECONDITION: the lease expired meanwhile; the trial is lost to this worker.
          if (!TRANSIENT.has(code)) break;
          await sleep(retryDelayMs(error));
        }
      }
      const t3 = performance.now();
      result.suggestMs.push(t1 - t0);
      result.completeMs.push(t3 - t2);
      result.cycleMs.push(t1 - t0 + (t3 - t2));
    }
  }

  try {
    await Promise.all(Array.from({ length: o.workers }, (_, i) => worker(i)));
  } finally {
    allDone = true;
    result.elapsedMs = Date.now() - started;
    for (const c of clients) c.close();
  }
  return result;
}

/** Every trial of the given studies as the invariant check needs them. */
export async function serverTrials(client: HpoClient, studies: string[], metric = 'objective') {
  const out: Array<{ name: string; state: string; finalValue?: number }> = [];
  for (const s of studies) {
    for (const t of await client.allTrials(s)) out.push({ name: t.name, state: t.state, finalValue: t.finalMeasurement?.metrics[metric] });
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
