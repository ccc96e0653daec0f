/** study.optimize() end to end against a real server: parallel workers, heartbeats that keep short
 *  leases alive, failing trials (a throw, NaN, an unknown metric) without ending the loop, STOP, and a restarted worker resuming its trial from its
 *  checkpoint. */
import * as fs from 'node:fs';
import { HpoClient, HpoClientError, OptimizeProgress, Trial, trialCheckpointDir, TrialInfeasibleError } from '../src';
import { quadraticConfig, quadraticLoss } from './support/configs';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('study.optimize', () => {
  let server: ServeProcess;
  let client: HpoClient;
  let checkpointRoot: string;

  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address });
    checkpointRoot = tempDir('hpo-ckpt-');
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    fs.rmSync(checkpointRoot, { recursive: true, force: true });
  });

  it('runs parallel workers: every trial once, all finished, the best found', async () => {
    const study = await client.createStudy({ displayName: 'parallel', config: quadraticConfig({ maxTrials: 12 }) });
    const seen: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const progress: OptimizeProgress[] = [];
    const result = await study.optimize(
      async (trial) => {
        seen.push(trial.id);
        running++;
        maxRunning = Math.max(maxRunning, running);
        try {
          const loss = quadraticLoss(trial.params);
          for (let step = 1; step <= 3; step++) {
            await sleep(20);
            const d = await trial.report(step, loss + 1 / step);
            expect(d.decision).toBe('CONTINUE');
          }
          return loss;
        } finally {
          running--;
        }
      },
      { trials: 12, parallel: 4, clientId: 'par', checkpointRoot, onProgress: (p) => progress.push(p) },
    );
    expect(result.finished).toBe(12);
    expect(result.succeeded).toBe(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen).toHaveLength(12);
    expect(maxRunning).toBe(4);
    // One progress call per finished trial, not per report (36 reports here).
    expect(progress.map((p) => p.finished)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(progress.every((p) => p.event.type === 'completed' && p.best !== undefined)).toBe(true);
    const trials = await study.trials();
    expect(trials.every((t) => t.state === 'SUCCEEDED')).toBe(true);
    expect(new Set(trials.map((t) => t.clientId))).toEqual(new Set(['par-w0', 'par-w1', 'par-w2', 'par-w3']));
    const bestLoss = Math.min(...trials.map((t) => t.finalMeasurement!.metrics.loss));
    expect(result.best?.finalMeasurement?.metrics.loss).toBe(bestLoss);
    expect(trials.every((t) => t.measurements.map((m) => m.step).join() === '1,2,3')).toBe(true);
  });

  it('keeps a short lease alive with heartbeats while training is silent', async () => {
    const study = await client.createStudy({ displayName: 'lease-kept', config: quadraticConfig({ leaseSeconds: 1 }) });
    const result = await study.optimize(
      async (trial) => {
        await sleep(3000); // three leases without a report
        return quadraticLoss(trial.params);
      },
      { trials: 1, clientId: 'beat', checkpointRoot },
    );
    expect(result.succeeded).toBe(1);
    expect(result.trials[0].state).toBe('SUCCEEDED');
  });

  it('loses the trial when heartbeats are too rare for the lease (the control)', async () => {
    const study = await client.createStudy({ displayName: 'lease-lost', config: quadraticConfig({ leaseSeconds: 1 }) });
    const err = (await study
      .optimize(
        async (trial) => {
          await sleep(3000);
          return quadraticLoss(trial.params);
        },
        { trials: 1, clientId: 'silent', checkpointRoot, heartbeatIntervalMs: 60_000 },
      )
      .catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('FAILED_PRECONDITION');
    const [trial] = await study.trials();
    expect(trial.state).toBe('FAILED');
  });

  it('fails a trial whose function throws (FAILED with the error) and goes on; TrialInfeasibleError makes it INFEASIBLE', async () => {
    const study = await client.createStudy({ displayName: 'throws', config: quadraticConfig() });
    const events: string[] = [];
    const result = await study.optimize(
      async (trial) => {
        await trial.report(1, 1.5);
        if (trial.id === 2) throw new RangeError(`diverged at x=${trial.params.x}`);
        if (trial.id === 4) throw new TrialInfeasibleError('out of memory');
        return quadraticLoss(trial.params);
      },
      { trials: 5, parallel: 2, clientId: 'thrower', checkpointRoot, onProgress: (p) => events.push(`${p.event.type} ${p.event.trial.id}`) },
    );
    expect(result.finished).toBe(5);
    expect(result.failed).toBe(1);
    expect(result.infeasible).toBe(1);
    expect(result.succeeded).toBe(3);
    expect(events.sort()).toEqual(['completed 1', 'completed 3', 'completed 5', 'failed 2', 'infeasible 4']);
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED', 'INFEASIBLE', 'SUCCEEDED']);
    expect(trials[1].statusReason).toMatch(/^RangeError: diverged at x=/);
    expect(trials[3].infeasibleReason).toBe('out of memory');
  });

  it('fails the trial, not the run, on a NaN or infinite objective and on a metric the study does not have', async () => {
    const study = await client.createStudy({ displayName: 'bad-values', config: quadraticConfig() });
    const result = await study.optimize(
      async (trial) => {
        if (trial.id === 1) return NaN; // returned
        if (trial.id === 2) await trial.report(1, Infinity); // reported
        if (trial.id === 3) await trial.report(1, { accuracy: 0.5 }); // a metric the study lacks
        if (trial.id === 4) return { loss: 1, accuracy: 0.5 };
        return quadraticLoss(trial.params);
      },
      { trials: 6, clientId: 'nan', checkpointRoot },
    );
    expect(result).toMatchObject({ finished: 6, failed: 4, succeeded: 2 });
    const trials = await study.trials();
    expect(trials.map((t) => t.state)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(trials[0].statusReason).toBe('the training function returned an unusable result: metric "loss" is NaN, not a finite number');
    expect(trials[1].statusReason).toBe('report at step 1: metric "loss" is Infinity, not a finite number');
    expect(trials[2].statusReason).toBe('report at step 1: unknown metric "accuracy" (the study has: loss)');
    expect(trials[3].statusReason).toMatch(/unknown metric "accuracy"/);
    expect(trials.every((t) => t.measurements.length === 0)).toBe(true); // nothing bad was sent
    expect(result.best?.id).toBeGreaterThanOrEqual(5);
  });

  it('ends the loop after maxConsecutiveFailures failed trials in a row (a bug, not a bad configuration)', async () => {
    const study = await client.createStudy({ displayName: 'bug', config: quadraticConfig() });
    const err = (await study
      .optimize(
        () => {
          throw new TypeError('undefined is not a function');
        },
        { trials: 10, clientId: 'bug', checkpointRoot, maxConsecutiveFailures: 2 },
      )
      .catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('2 trials in a row failed; the last: TypeError: undefined is not a function');
    expect((await study.trials()).map((t) => t.state)).toEqual(['FAILED', 'FAILED']);
  });

  it('ends the loop on a service error (the study deleted under it)', async () => {
    const study = await client.createStudy({ displayName: 'deleted', config: quadraticConfig() });
    const err = (await study
      .optimize(
        async (trial) => {
          if (trial.id === 2) await client.deleteStudy(study.name);
          return quadraticLoss(trial.params);
        },
        { trials: 5, clientId: 'gone', checkpointRoot },
      )
      .catch((e: unknown) => e)) as HpoClientError;
    expect(err).toBeInstanceOf(HpoClientError);
    expect(err.code).toBe('NOT_FOUND');
  });

  it('honours StopTrial: the worker hears it, stops, and the trial completes with its last measurement', async () => {
    const study = await client.createStudy({ displayName: 'stopped', config: quadraticConfig({ leaseSeconds: 0.6 }) });
    const other = new HpoClient({ address: server.address });
    let stopSeenAtStep = -1;
    const result = await study.optimize(
      async (trial) => {
        for (let step = 1; step <= 200; step++) {
          if (step === 3) await other.stopTrial(trial.name);
          await sleep(50);
          if (trial.shouldStop()) {
            stopSeenAtStep = step;
            break;
          }
          const d = await trial.report(step, 10 - step);
          if (d.shouldStop) {
            stopSeenAtStep = step;
            break;
          }
        }
        return undefined;
      },
      { trials: 1, clientId: 'stop', checkpointRoot },
    );
    other.close();
    expect(stopSeenAtStep).toBeGreaterThanOrEqual(3);
    expect(stopSeenAtStep).toBeLessThan(10);
    expect(result.stopped).toBe(1);
    const [trial] = await study.trials();
    expect(trial.state).toBe('SUCCEEDED');
    const last = trial.measurements[trial.measurements.length - 1];
    expect(trial.finalMeasurement?.metrics.loss).toBe(last.metrics.loss);
  });

  it('a restarted worker gets its ACTIVE trial back and resumes it from its checkpoint', async () => {
    const study = await client.createStudy({ displayName: 'restart', config: quadraticConfig() });
    // The first life of worker "crashy" (slot 0): three epochs, a checkpoint, then it dies silently.
    const [held] = (await study.suggest('crashy-w0')).trials;
    let weights = 0;
    for (let step = 1; step <= 3; step++) {
      weights += step;
      await client.reportIntermediate({ name: held, measurement: { step, metrics: { loss: 1 / step } } });
    }
    const dir = trialCheckpointDir(checkpointRoot, held.name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(`${dir}/checkpoint.json`, JSON.stringify({ step: 3, state: { weights }, savedAt: Date.now() }));

    // Its second life: the same client id.
    const runs: Array<{ id: number; resumeFromStep: number; restored?: number; steps: number[] }> = [];
    const result = await study.optimize(
      async (trial) => {
        const run = { id: trial.id, resumeFromStep: trial.resumeFromStep, steps: [] as number[], restored: undefined as number | undefined };
        runs.push(run);
        const ckpt = await trial.loadCheckpoint<{ weights: number }>();
        let w = ckpt?.state.weights ?? 0;
        run.restored = ckpt?.state.weights;
        for (let step = (ckpt?.step ?? 0) + 1; step <= 5; step++) {
          w += step;
          run.steps.push(step);
          await trial.report(step, 1 / step);
        }
        return { loss: 1 / w };
      },
      { trials: 1, clientId: 'crashy', checkpointRoot },
    );
    expect(runs).toEqual([{ id: held.id, resumeFromStep: 4, restored: 6, steps: [4, 5] }]);
    const trial: Trial = result.trials[0];
    expect(trial.id).toBe(held.id);
    expect(trial.measurements.map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
    expect(trial.finalMeasurement?.metrics.loss).toBeCloseTo(1 / 15, 12);
  });

  it('does not resend a step already recorded when a resumed worker replays without a checkpoint', async () => {
    const study = await client.createStudy({ displayName: 'replay', config: quadraticConfig() });
    const [held] = (await study.suggest('replayer-w0')).trials;
    await client.reportIntermediate({ name: held, measurement: { step: 1, metrics: { loss: 0.9 } } });
    const decisions: string[] = [];
    const result = await study.optimize(
      async (trial) => {
        expect(await trial.loadCheckpoint()).toBeUndefined();
        for (let step = 1; step <= 2; step++) {
          const d = await trial.report(step, 1 - step / 10);
          decisions.push(d.reason === `step ${step} was already reported` ? 'skipped' : 'sent');
        }
        return undefined;
      },
      { trials: 1, clientId: 'replayer', checkpointRoot },
    );
    expect(decisions).toEqual(['skipped', 'sent']);
    expect(result.trials[0].measurements.map((m) => m.metrics.loss)).toEqual([0.9, 0.8]);
  });
});
