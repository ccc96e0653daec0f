/** PAUSE → thaw → resume from checkpoint, end to end with the server's FREEZE_THAW policy. The space
 *  is a five-point grid: once each point has been tried, the policy has no new configuration to offer
 *  and thaws a paused trial, which the SDK hands back to the training function with resumeFromStep and
 *  the checkpoint saved at the pause. (One worker and a fixed seed keep the sequence reproducible.) */
import * as fs from 'node:fs';
import { HpoClient, StudyConfig } from '../src';
import { ServeProcess, startServe, tempDir } from './support/hpo-serve';

const MAX_STEP = 8;
const ASYMPTOTE: Record<string, number> = { a: 0.95, b: 0.9, c: 0.88, d: 0.86, e: 0.84 };

/** A saturating learning curve, as training accuracy tends to look. */
const accuracyAt = (config: string, step: number): number => ASYMPTOTE[config] - (ASYMPTOTE[config] - 0.1) * Math.exp(-step / 2);

const config: StudyConfig = {
  parameters: [{ name: 'recipe', type: 'CATEGORICAL', categories: ['a', 'b', 'c', 'd', 'e'] }],
  metrics: [{ name: 'acc', goal: 'MAXIMIZE' }],
  algorithm: 'GRID_SEARCH',
  earlyStopping: { mode: 'FREEZE_THAW', maxStep: MAX_STEP, minSteps: 2, minTrials: 1 },
  seed: 7,
};

interface Run {
  trialId: number;
  resumeFromStep: number;
  restoredStep?: number;
  restoredSum?: number;
  steps: number[];
  ended: 'paused' | 'stopped' | 'finished';
}

describe('pause and resume with FREEZE_THAW', () => {
  let server: ServeProcess;
  let client: HpoClient;
  let checkpointRoot: string;
  beforeAll(async () => {
    server = await startServe();
    client = new HpoClient({ address: server.address });
    checkpointRoot = tempDir('hpo-pause-');
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
    fs.rmSync(checkpointRoot, { recursive: true, force: true });
  });

  it('pauses poor trials, thaws them later, and the training function really resumes from its checkpoint', async () => {
    const study = await client.createStudy({ displayName: 'freeze-thaw', config });
    expect(study.config.earlyStopping.mode).toBe('FREEZE_THAW');
    const runs: Run[] = [];
    const result = await study.optimize(
      async (trial) => {
        const recipe = trial.params.recipe as string;
        const run: Run = { trialId: trial.id, resumeFromStep: trial.resumeFromStep, steps: [], ended: 'finished' };
        runs.push(run);
        // The "model": a running sum of the curve, which only a real resume can continue correctly.
        const checkpoint = await trial.loadCheckpoint<{ sum: number }>();
        run.restoredStep = checkpoint?.step;
        run.restoredSum = checkpoint?.state.sum;
        let sum = checkpoint?.state.sum ?? 0;
        for (let step = (checkpoint?.step ?? 0) + 1; step <= MAX_STEP; step++) {
          sum += accuracyAt(recipe, step);
          run.steps.push(step);
          const decision = await trial.report(step, accuracyAt(recipe, step));
          if (decision.shouldPause) {
            await trial.saveCheckpoint({ sum });
            run.ended = 'paused';
            return undefined;
          }
          if (decision.shouldStop) {
            run.ended = 'stopped';
            break;
          }
        }
        return { acc: accuracyAt(recipe, run.steps[run.steps.length - 1]) + 1e-12 * sum };
      },
      { trials: 5, parallel: 1, clientId: 'ft', checkpointRoot, idleTimeoutMs: 3000, pollIntervalMs: 200 },
    );

    expect(result.paused).toBeGreaterThan(0);
    const resumed = runs.filter((r) => r.resumeFromStep > 0);
    expect(resumed.length).toBeGreaterThan(0);
    for (const r of resumed) {
      const before = runs.slice(0, runs.indexOf(r)).filter((p) => p.trialId === r.trialId);
      const previous = before[before.length - 1];
      expect(previous.ended).toBe('paused');
      const lastStep = previous.steps[previous.steps.length - 1];
      // Handed back at the step after the pause, with the state saved then.
      expect(r.resumeFromStep).toBe(lastStep + 1);
      expect(r.restoredStep).toBe(lastStep);
      const recipe = (await client.getTrial(`${study.name}/trials/${r.trialId}`)).parameters.recipe as string;
      const expectedSum = [...before.flatMap((p) => p.steps)].reduce((s, step) => s + accuracyAt(recipe, step), 0);
      expect(r.restoredSum).toBeCloseTo(expectedSum, 12);
      expect(r.steps[0]).toBe(lastStep + 1);
    }
    // Every learning curve is contiguous from step 1: nothing retrained, nothing skipped.
    for (const trial of await study.trials()) {
      const steps = trial.measurements.map((m) => m.step);
      expect(steps).toEqual(steps.map((_, i) => i + 1));
    }
  });
});
