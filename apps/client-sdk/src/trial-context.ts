/** What the optimize loop hands the training function: the trial's parameters, where to resume, a
 *  checkpoint folder, and report() that returns the server's decision. */
import * as checkpoints from './checkpoint';
import type { HpoClient } from './client';
import { HpoClientError, isTrialLost, TrialFailedError, TrialLostError } from './errors';
import { measurementProblem } from './measurement-check';
import type { Assignment, DecisionKind, Measurement, ReportResult, Trial } from './types';

export interface Decision {
  decision: DecisionKind;
  reason: string;
  /** STOP: end training; the loop completes the trial with the function's return value or, when it
   *  returns nothing, the last reported measurement. */
  shouldStop: boolean;
  /** PAUSE: save a checkpoint (saveCheckpoint) and return; the trial may be handed back later. */
  shouldPause: boolean;
}

const decisionOf = (decision: DecisionKind, reason: string): Decision => ({
  decision,
  reason,
  shouldStop: decision === 'STOP',
  shouldPause: decision === 'PAUSE',
});

export class TrialContext {
  /** The trial as handed out. */
  readonly trial: Trial;
  /** "studies/{study_id}/trials/{trial_id}" */
  readonly name: string;
  readonly id: number;
  /** The configuration to train. */
  readonly params: Assignment;
  /** The first step to train: 0 for a fresh trial; for a trial handed back after PAUSE, the step after
   *  the last one reported, and loadCheckpoint() returns the state saved then. */
  readonly resumeFromStep: number;
  /** This trial's own folder for checkpoint files (created on first save). */
  readonly checkpointDir: string;
  /** Aborted when the optimize loop is aborted or failed; long training may watch it. */
  readonly signal: AbortSignal;

  private lastDecision: Decision = decisionOf('CONTINUE', '');
  private latestTrial: Trial;
  private stopRequested = false;
  private lastStep: number;
  private readonly segmentStart = Date.now();
  private readonly elapsedBefore: number;

  constructor(
    private readonly client: HpoClient,
    trial: Trial,
    checkpointRoot: string,
    /** The study's metric names; the first is the objective. */
    private readonly metricNames: string[],
    signal: AbortSignal,
    /** The worker's client id, sent with FailTrial. */
    readonly clientId: string,
    private readonly onReport?: (ctx: TrialContext, step: number, metrics: Record<string, number>, d: Decision) => void,
  ) {
    this.trial = trial;
    this.latestTrial = trial;
    this.name = trial.name;
    this.id = trial.id;
    this.params = trial.parameters;
    this.signal = signal;
    const last: Measurement | undefined = trial.measurements[trial.measurements.length - 1];
    this.lastStep = last ? last.step : -1;
    this.elapsedBefore = last ? last.elapsedSeconds : 0;
    // A trial handed back as ACTIVE to a restarted worker has a curve but resume_from_step 0: resume
    // after its last reported step as well (its checkpoint, if any, says where training really is).
    this.resumeFromStep = trial.resumeFromStep > 0 ? trial.resumeFromStep : last ? last.step + 1 : 0;
    this.checkpointDir = checkpoints.trialCheckpointDir(checkpointRoot, trial.name);
  }

  /** Alias of params. */
  get parameters(): Assignment {
    return this.params;
  }

  /** True when this trial was trained before (paused, or held by a worker that restarted). */
  get isResumed(): boolean {
    return this.resumeFromStep > 0;
  }

  /** The trial as of the last report's reply (its learning curve so far, its state). */
  get current(): Trial {
    return this.latestTrial;
  }

  /** The last decision received (CONTINUE before any report). */
  get decision(): Decision {
    return this.lastDecision;
  }

  /** STOP was decided, or StopTrial was called on this trial (heard by heartbeat). */
  shouldStop(): boolean {
    return this.lastDecision.shouldStop || this.stopRequested;
  }

  shouldPause(): boolean {
    return this.lastDecision.shouldPause;
  }

  /** @internal the heartbeat heard that StopTrial was called. */
  markStopRequested(): void {
    this.stopRequested = true;
  }

  /** The last step reported to the server (-1 before any). */
  get lastReportedStep(): number {
    return this.lastStep;
  }

  /** Seconds trained in all, earlier segments of a resumed trial included. */
  elapsedSeconds(): number {
    return this.elapsedBefore + (Date.now() - this.segmentStart) / 1000;
  }

  /** Reports one point of the learning curve and returns the decision. A bare number is the
   *  objective (the study's first metric).
   *  - A NaN or infinite value, or a metric the study does not have, is not sent: report throws
   *    TrialFailedError and the optimize loop fails the trial (FAILED) and goes on. So does a
   *    measurement the server refuses (INVALID_ARGUMENT).
   *  - A step already recorded (a restarted worker replaying from its last checkpoint) is not sent
   *    again: the answer is CONTINUE.
   *  - After a PAUSE or STOP nothing more is sent: the same decision comes back. */
  async report(step: number, value: number | Record<string, number>, elapsedSeconds?: number): Promise<Decision> {
    if (this.lastDecision.shouldPause || this.lastDecision.shouldStop) return this.lastDecision;
    if (step <= this.lastStep) return decisionOf('CONTINUE', `step ${step} was already reported`);
    const metrics = typeof value === 'number' ? { [this.metricNames[0]]: value } : value;
    const problem = measurementProblem(metrics, this.metricNames, false);
    if (problem) throw new TrialFailedError(`report at step ${step}: ${problem}`);
    let reply: ReportResult;
    try {
      reply = await this.client.reportIntermediate({
        name: this.name,
        measurement: { step, metrics, elapsedSeconds: elapsedSeconds ?? this.elapsedSeconds() },
        clientId: this.clientId,
      });
    } catch (err) {
      if (isTrialLost(err)) throw new TrialLostError(this.name, err.details);
      const recovered = await this.recoverLostReply(err, step, metrics);
      if (!recovered) {
        if (err instanceof HpoClientError && err.code === 'INVALID_ARGUMENT') {
          throw new TrialFailedError(`report at step ${step} refused: ${err.details}`);
        }
        throw err;
      }
      reply = recovered;
    }
    this.lastStep = step;
    this.lastDecision = decisionOf(reply.decision, reply.reason);
    if (reply.trial.name === this.name) this.latestTrial = reply.trial;
    this.onReport?.(this, step, metrics, this.lastDecision);
    return this.lastDecision;
  }

  /** A retry (after UNAVAILABLE) refused because the first attempt was stored and only its reply was
   *  lost: the trial's curve already ends with this very measurement. The decision is read back from
   *  the trial's state (PAUSED: PAUSE, STOPPING: STOP, else CONTINUE; an early-stopping STOP leaves the
   *  trial ACTIVE, so it reads as CONTINUE here and is answered again at the next report). */
  private async recoverLostReply(err: unknown, step: number, metrics: Record<string, number>): Promise<ReportResult | undefined> {
    if (!(err instanceof HpoClientError) || err.attempts < 2) return undefined;
    if (err.code !== 'INVALID_ARGUMENT' && err.code !== 'FAILED_PRECONDITION') return undefined;
    const trial = await this.client.getTrial(this.name);
    const last = trial.measurements[trial.measurements.length - 1];
    const same =
      last !== undefined &&
      last.step === step &&
      Object.keys(metrics).length === Object.keys(last.metrics).length &&
      Object.entries(metrics).every(([k, v]) => last.metrics[k] === v);
    if (!same) return undefined;
    const decision: DecisionKind = trial.state === 'PAUSED' ? 'PAUSE' : trial.state === 'STOPPING' ? 'STOP' : 'CONTINUE';
    return { decision, reason: `${trial.statusReason || decision} (recovered after a lost reply)`, trial };
  }

  /** Saves `state` (JSON) as this trial's checkpoint at `step` (default: the last reported step).
   *  Write any binary files (model weights) into checkpointDir first: the manifest is written last. */
  async saveCheckpoint<T>(state: T, step = this.lastStep): Promise<void> {
    await checkpoints.saveCheckpoint(this.checkpointDir, step, state);
  }

  /** The state saved by saveCheckpoint, or undefined for a fresh trial (or none saved). */
  async loadCheckpoint<T>(): Promise<checkpoints.Checkpoint<T> | undefined> {
    return checkpoints.loadCheckpoint<T>(this.checkpointDir);
  }
}
