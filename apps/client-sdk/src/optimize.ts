/** The high-level loop: `parallel` worker slots each ask for a trial, run the training function on it
 *  with heartbeats, and complete it, until `trials` trials are finished or the study is done.
 *
 *  Outcomes of one run of the training function:
 *  - it returns a number (the objective) or metrics: the trial is completed with them;
 *  - it returns nothing: the trial is completed with its last reported measurement;
 *  - its last report answered PAUSE: nothing is completed (the server holds the trial PAUSED; a later
 *    SuggestTrials may hand it back with resumeFromStep, to this or another worker);
 *  - its last report answered STOP: completed with the return value, or the last measurement;
 *  - it returns or reports NaN, an infinity or a metric the study does not have, or it throws: the
 *    trial is FAILED with the reason (FailTrial) and the loop goes on, as Optuna does. The algorithm
 *    ignores failed trials. TrialInfeasibleError instead completes it INFEASIBLE (the configuration
 *    cannot work; the algorithm learns from that).
 *  The loop ends only when the service fails (an HpoClientError from the loop's own calls, rethrown)
 *  or after `maxConsecutiveFailures` failed trials in a row (a bug in the training code, not a bad
 *  configuration). */
import * as os from 'node:os';
import { clearCheckpoint, defaultCheckpointRoot } from './checkpoint';
import type { HpoClient } from './client';
import { HpoClientError, isTrialLost, OptimizeAbortedError, TrialFailedError, TrialInfeasibleError, TrialLostError } from './errors';
import { measurementProblem } from './measurement-check';
import { Heartbeater } from './heartbeat';
import { sleep } from './retry';
import type { StudyInfo, Trial } from './types';
import { Decision, TrialContext } from './trial-context';

export type TrainingResult = number | Record<string, number> | void | undefined;
export type TrainingFunction = (trial: TrialContext) => Promise<TrainingResult> | TrainingResult;

export type OptimizeEvent =
  | { type: 'started' | 'resumed'; trial: Trial }
  | { type: 'reported'; trial: Trial; step: number; metrics: Record<string, number>; decision: Decision }
  | { type: 'completed' | 'stopped'; trial: Trial }
  | { type: 'infeasible'; trial: Trial; error: unknown }
  | { type: 'failed'; trial: Trial; reason: string; error?: unknown }
  | { type: 'paused'; trial: Trial; reason: string };

export interface BestSoFar {
  trial: Trial;
  /** The objective's final value. */
  value: number;
}

export interface OptimizeProgress {
  /** Trials finished by this call (succeeded, stopped, infeasible or failed; paused ones are not). */
  finished: number;
  /** options.trials, or the study's maxTrials, or 0 when unbounded. */
  target: number;
  running: number;
  paused: number;
  best?: BestSoFar;
  event: OptimizeEvent;
}

export interface OptimizeOptions {
  /** Trials to finish in this call. Default: until the study is done (needs the study's maxTrials). */
  trials?: number;
  /** Worker slots running training functions at once (default 1). */
  parallel?: number;
  /** This process's id; slot i uses `${clientId}-w${i}` so that a restarted worker gets its own ACTIVE
   *  trials back. Default: hostname-pid. */
  clientId?: string;
  /** Root of the per-trial checkpoint folders; $HPO_CHECKPOINT_ROOT or the OS temp dir by default. */
  checkpointRoot?: string;
  /** Called when a trial finishes (succeeded, stopped, infeasible, failed), which is also when the best
   *  can change: one call per finished trial, for progress bars and logs. */
  onProgress?: (progress: OptimizeProgress) => void;
  /** Called on every event, reports, starts, resumptions and pauses included (live displays). */
  onEvent?: (progress: OptimizeProgress) => void;
  /** Aborting stops handing out new trials and aborts every TrialContext.signal. */
  signal?: AbortSignal;
  /** Default: a third of the study's lease. */
  heartbeatIntervalMs?: number;
  /** Wait between SuggestTrials calls that returned nothing while the study is not done (default 500). */
  pollIntervalMs?: number;
  /** Give up after SuggestTrials returned nothing for this long while none of this call's slots was
   *  training (default 120 000): e.g. max_trials reached with paused trials the server will not thaw. */
  idleTimeoutMs?: number;
  /** End the loop after this many trials failed in a row (threw, NaN, unknown metric; default 5). */
  maxConsecutiveFailures?: number;
}

export interface OptimizeResult {
  finished: number;
  succeeded: number;
  infeasible: number;
  /** Trials this call failed (FailTrial): the function threw or produced an unusable value. */
  failed: number;
  stopped: number;
  paused: number;
  /** Trials completed by this call, in completion order. */
  trials: Trial[];
  /** The study's best trial (ListOptimalTrials) at the end, across every worker. */
  best?: Trial;
}

const DEFAULT_LEASE_SECONDS = 300;

export async function optimize(
  client: HpoClient,
  study: StudyInfo,
  train: TrainingFunction,
  options: OptimizeOptions = {},
): Promise<OptimizeResult> {
  const parallel = options.parallel ?? 1;
  if (!Number.isInteger(parallel) || parallel < 1) throw new RangeError(`options.parallel must be an integer >= 1, got ${parallel}`);
  const target = options.trials ?? study.config.maxTrials;
  if (!Number.isInteger(target) || target < 0) throw new RangeError(`options.trials must be an integer >= 0, got ${target}`);
  const objective = study.config.metrics[0];
  if (!objective) throw new Error(`study ${study.name} has no metric`);
  const clientId = options.clientId ?? `${os.hostname()}-${process.pid}`;
  const checkpointRoot = options.checkpointRoot ?? defaultCheckpointRoot();
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const idleTimeoutMs = options.idleTimeoutMs ?? 120_000;
  const maxConsecutiveFailures = options.maxConsecutiveFailures ?? 5;
  const leaseMs = (study.config.leaseSeconds || DEFAULT_LEASE_SECONDS) * 1000;

  // One controller for everything this call started: the user's abort and a fatal error both end it.
  const controller = new AbortController();
  const onUserAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (options.signal?.aborted) controller.abort(options.signal.reason);

  const contexts = new Map<string, TrialContext>();
  const heartbeater = new Heartbeater({
    client,
    parent: study.name,
    intervalMs: options.heartbeatIntervalMs ?? Math.max(100, Math.floor(leaseMs / 3)),
    onStopRequested: (name) => contexts.get(name)?.markStopRequested(),
  });

  const result: OptimizeResult = { finished: 0, succeeded: 0, infeasible: 0, failed: 0, stopped: 0, paused: 0, trials: [] };
  let running = 0;
  let training = 0;
  let idleSince: number | undefined;
  let best: BestSoFar | undefined;
  let consecutiveFailures = 0;
  let studyDone = false;
  let fatal: unknown;

  const finishing = new Set<OptimizeEvent['type']>(['completed', 'stopped', 'infeasible', 'failed']);
  const emit = (event: OptimizeEvent): void => {
    const progress = { finished: result.finished, target, running, paused: result.paused, best, event };
    options.onEvent?.(progress);
    if (finishing.has(event.type)) options.onProgress?.(progress);
  };

  const better = (a: number, b: number): boolean => (objective.goal === 'MINIMIZE' ? a < b : a > b);
  const noteFinished = (trial: Trial): void => {
    result.finished++;
    result.trials.push(trial);
    const value = trial.finalMeasurement?.metrics[objective.name];
    if (value !== undefined && (best === undefined || better(value, best.value))) best = { trial, value };
  };

  const metricNames = study.config.metrics.map((m) => m.name);

  /** FAILED with the reason; the loop goes on unless too many failed in a row. */
  const failTrial = async (trial: Trial, slotClientId: string, reason: string, error?: unknown): Promise<void> => {
    const done = await client.failTrial({ name: trial.name, reason: truncate(reason), clientId: slotClientId }).catch((err: unknown) => {
      // Another worker holds the trial now: it is theirs to finish.
      if (isTrialLost(err)) return undefined;
      throw err;
    });
    if (!done) return;
    consecutiveFailures++;
    result.failed++;
    noteFinished(done);
    emit({ type: 'failed', trial: done, reason, error });
    if (consecutiveFailures >= maxConsecutiveFailures) {
      throw new Error(`${consecutiveFailures} trials in a row failed; the last: ${reason}`, { cause: error });
    }
  };

  const runTrial = async (trial: Trial, slotClientId: string): Promise<void> => {
    const ctx = new TrialContext(client, trial, checkpointRoot, metricNames, controller.signal, slotClientId, (c, step, metrics, decision) =>
      emit({ type: 'reported', trial: c.current, step, metrics, decision }),
    );
    if (!ctx.isResumed) await clearCheckpoint(ctx.checkpointDir);
    contexts.set(trial.name, ctx);
    heartbeater.hold(trial.name, slotClientId);
    emit({ type: ctx.isResumed ? 'resumed' : 'started', trial });
    let outcome: TrainingResult;
    let thrown: unknown;
    let threw = false;
    try {
      outcome = await train(ctx);
    } catch (err) {
      threw = true;
      thrown = err;
    } finally {
      heartbeater.release(trial.name);
      contexts.delete(trial.name);
    }

    if (threw) {
      // Another worker holds the trial now (this one's lease expired): it is theirs to finish.
      if (thrown instanceof TrialLostError) return;
      // The service failing (not the training code) ends the loop.
      if (thrown instanceof HpoClientError) throw thrown;
      // Aborted: the trial stays ACTIVE under this client id, for a restarted worker to resume.
      if (controller.signal.aborted) return;
      if (thrown instanceof TrialInfeasibleError) {
        consecutiveFailures = 0;
        const done = await client.completeTrial({ name: trial.name, infeasible: true, infeasibleReason: truncate(thrown.reason), clientId: slotClientId }).catch((err: unknown) => {
          if (isTrialLost(err)) return undefined;
          throw err;
        });
        if (!done) return;
        result.infeasible++;
        noteFinished(done);
        emit({ type: 'infeasible', trial: done, error: thrown });
        return;
      }
      const reason = thrown instanceof TrialFailedError ? thrown.reason : thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      await failTrial(trial, slotClientId, reason, thrown);
      return;
    }

    if (ctx.decision.shouldPause) {
      consecutiveFailures = 0;
      result.paused++;
      emit({ type: 'paused', trial: ctx.current, reason: ctx.decision.reason });
      return;
    }
    const finalMeasurement = measurementOf(outcome, metricNames[0], ctx);
    if (!finalMeasurement && ctx.lastReportedStep < 0) {
      await failTrial(trial, slotClientId, 'the training function returned no value and reported no measurement');
      return;
    }
    if (finalMeasurement) {
      const problem = measurementProblem(finalMeasurement.metrics, metricNames, true);
      if (problem) {
        await failTrial(trial, slotClientId, `the training function returned an unusable result: ${problem}`);
        return;
      }
    }
    let done: Trial;
    try {
      done = await client.completeTrial({ name: trial.name, finalMeasurement, clientId: slotClientId });
    } catch (err) {
      if (isTrialLost(err)) return;
      // The server refused the values (a rule the local check does not know): that trial's fault.
      if (!(err instanceof HpoClientError && err.code === 'INVALID_ARGUMENT')) throw err;
      await failTrial(trial, slotClientId, `CompleteTrial refused: ${err.details}`, err);
      return;
    }
    consecutiveFailures = 0;
    if (ctx.shouldStop()) result.stopped++;
    else result.succeeded++;
    noteFinished(done);
    emit({ type: ctx.shouldStop() ? 'stopped' : 'completed', trial: done });
  };

  const slot = async (index: number): Promise<void> => {
    const slotClientId = `${clientId}-w${index}`;
    while (!controller.signal.aborted && !studyDone) {
      // Reserve the trial before asking, so that the slots together never overshoot the target.
      if (target > 0 && result.finished + running >= target) return;
      running++;
      let handedOut: Trial | undefined;
      try {
        const reply = await client.suggestTrials({ parent: study.name, count: 1, clientId: slotClientId }, { signal: controller.signal });
        handedOut = reply.trials[0];
        if (!handedOut) {
          if (reply.studyDone) studyDone = true;
        } else {
          idleSince = undefined;
          training++;
          try {
            await runTrial(handedOut, slotClientId);
          } finally {
            training--;
          }
        }
      } finally {
        running--;
      }
      if (!handedOut && !studyDone) {
        // While one of our slots trains, its outcome may open new work (a thaw, a free max_parallel
        // slot): wait. With none training, give up after idleTimeoutMs.
        if (training > 0) idleSince = undefined;
        else if (idleSince === undefined) idleSince = Date.now();
        else if (Date.now() - idleSince > idleTimeoutMs) return;
        await sleep(pollIntervalMs, controller.signal);
      }
    }
  };

  const slots = Array.from({ length: parallel }, (_, i) =>
    slot(i).catch((err) => {
      fatal ??= err;
      controller.abort(err);
    }),
  );
  try {
    await Promise.all(slots);
  } finally {
    heartbeater.stop();
    options.signal?.removeEventListener('abort', onUserAbort);
  }
  if (fatal) throw fatal;
  if (options.signal?.aborted) throw new OptimizeAbortedError(options.signal.reason);
  result.best = (await client.listOptimalTrials(study.name))[0];
  return result;
}

/** Failure reasons are stored on the trial; a long stack of messages is cut (the server takes 4096). */
function truncate(reason: string, max = 2000): string {
  return reason.length <= max ? reason : `${reason.slice(0, max - 1)}…`;
}

/** The training function's return value as a final measurement at the last reported step. */
function measurementOf(outcome: TrainingResult, objective: string, ctx: TrialContext) {
  if (outcome === undefined || outcome === null) return undefined;
  const metrics = typeof outcome === 'number' ? { [objective]: outcome } : outcome;
  return { step: Math.max(0, ctx.lastReportedStep), metrics, elapsedSeconds: ctx.elapsedSeconds() };
}
