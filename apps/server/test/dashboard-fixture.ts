/** Studies written straight into a data dir (before a server opens it) for the dashboard's browser
 *  tests: every trial state the dashboard draws (succeeded, stopped early, paused, resumed after a
 *  pause, running, failed, infeasible) on two workers over an hour of wall time, and a 2,000-trial
 *  study for page weight and time to first chart. Deterministic: a seeded generator, fixed times. */
import { studyConfig } from '@hpo/core';
import type { Measurement, StudyConfig } from '@hpo/core';
import type { Assignment } from '@hpo/space';
import { openStorage } from '../src/storage/open-storage';
import type { NewTrial, TrialPatch } from '../src/storage/storage';

export const SHOWCASE_CONFIG: StudyConfig = studyConfig({
  parameters: [
    { name: 'learning_rate', type: 'DOUBLE', min: 1e-4, max: 1e-1, scale: 'LOG' },
    { name: 'layers', type: 'INTEGER', min: 1, max: 4 },
    { name: 'dropout', type: 'DOUBLE', min: 0, max: 0.5 },
    { name: 'optimizer', type: 'CATEGORICAL', categories: ['sgd', 'adam', 'rmsprop'] },
  ],
  metrics: [{ name: 'val_accuracy', goal: 'MAXIMIZE' }],
  algorithm: 'GP_BANDIT',
  earlyStopping: { mode: 'FREEZE_THAW', maxStep: 10, minSteps: 1, minTrials: 3 },
  maxTrials: 0,
  problemDescription: 'A small MLP on the UCI digits; validation accuracy after up to 10 epochs.',
});

/** The response surface: layers and the learning rate matter most, dropout only together with layers
 *  (an interaction), the optimizer a little. */
export function accuracyOf(p: Assignment): number {
  const lr = Math.log10(Number(p.learning_rate));
  const layers = Number(p.layers);
  const dropout = Number(p.dropout);
  const opt = p.optimizer === 'adam' ? 0.03 : p.optimizer === 'rmsprop' ? 0.015 : 0;
  return 0.62 + 0.05 * layers - 0.05 * Math.abs(lr + 2.5) + opt + 0.24 * (dropout - 0.25) * (layers - 2.5);
}

function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomAssignment(rand: () => number): Assignment {
  return {
    learning_rate: 10 ** (-4 + 3 * rand()),
    layers: 1 + Math.floor(rand() * 4),
    dropout: 0.5 * rand(),
    optimizer: ['sgd', 'adam', 'rmsprop'][Math.floor(rand() * 3)],
  };
}

const SECONDS_PER_EPOCH = 12;

function curve(final: number, steps: number): Measurement[] {
  return Array.from({ length: steps }, (_, i) => ({
    step: i + 1,
    metrics: { val_accuracy: final * (1 - Math.exp(-(i + 1) / 2.5)) },
    elapsedSeconds: (i + 1) * SECONDS_PER_EPOCH,
  }));
}

type Plan = { trial: NewTrial; patch?: TrialPatch };

/** What becomes of the i-th trial of the showcase (24 trials; the order is the workers'). */
function showcasePlan(i: number, p: Assignment, start: number, worker: string): Plan & { end: number } {
  const final = accuracyOf(p);
  const full = curve(final, 10);
  const runFor = (steps: number) => steps * SECONDS_PER_EPOCH;
  const base = { parameters: p, clientId: worker, startTime: start };
  if (i === 23) return { trial: { ...base, state: 'ACTIVE', measurements: full.slice(0, 3), leaseExpiresAt: start + 30 * 86400 }, end: start + runFor(3) };
  if (i === 22) return { trial: { ...base, state: 'ACTIVE', measurements: full.slice(0, 5), leaseExpiresAt: start + 30 * 86400 }, end: start + runFor(5) };
  if (i === 9) return { trial: { ...base, state: 'FAILED', statusReason: 'lease expired without a heartbeat', measurements: full.slice(0, 2), completeTime: start + runFor(2) + 300 }, end: start + runFor(2) };
  if (i === 14) return { trial: { ...base, state: 'INFEASIBLE', infeasibleReason: 'out of memory at 4 layers', completeTime: start + 20 }, end: start + 20 };
  if ([3, 7, 12, 17].includes(i)) {
    // Paused at epoch 4; trials 3 and 7 are thawed later (resumed from epoch 4) and finish.
    const paused = full.slice(0, 4);
    if (i === 3 || i === 7) {
      const resumedAt = start + runFor(4) + 900;
      return {
        // Stored as paused, then thawed and finished (a terminal state is never patched).
        trial: { ...base, state: 'PAUSED', measurements: full },
        patch: { resumeFromStep: 4, state: 'SUCCEEDED', finalMeasurement: full[9], completeTime: resumedAt + runFor(6), statusReason: 'thawed: predicted final worth training' },
        end: start + runFor(4),
      };
    }
    return { trial: { ...base, state: 'PAUSED', measurements: paused, statusReason: 'paused: a new configuration is worth 2x more EI per step' }, end: start + runFor(4) };
  }
  if ([5, 11, 16, 20].includes(i)) {
    const steps = i % 2 === 0 ? 3 : 2;
    const m = full.slice(0, steps);
    return { trial: { ...base, state: 'EARLY_STOPPED', measurements: m, finalMeasurement: m[steps - 1], completeTime: start + runFor(steps), statusReason: 'stopped early: P(better than incumbent) < 0.05' }, end: start + runFor(steps) };
  }
  return { trial: { ...base, state: 'SUCCEEDED', measurements: full, finalMeasurement: full[9], completeTime: start + runFor(10) }, end: start + runFor(10) };
}

export interface SeededStudies {
  showcaseId: number;
  largeId?: number;
}

/** Writes the showcase study (and, with largeTrials, a study of that many finished trials with 10-step
 *  curves) into the SQLite database of dataDir. */
export async function seedDashboardStudies(dataDir: string, largeTrials = 0): Promise<SeededStudies> {
  const storage = await openStorage({ dataDir });
  try {
    const tenant = await storage.getOrCreateLocalTenant();
    const rand = generator(17);
    const { study } = await storage.createStudy(tenant.id, 'digits-mlp showcase', SHOWCASE_CONFIG);
    // The showcase's last trials start about now: the running ones are drawn up to the present.
    const t0 = Math.floor((await storage.now()) - 40 * 60);
    await storage.studyTransaction(tenant.id, study.id, async (tx) => {
      const free = [t0, t0 + 40];
      for (let i = 0; i < 24; i++) {
        const w = free[0] <= free[1] ? 0 : 1;
        const plan = showcasePlan(i, randomAssignment(rand), free[w], `worker-${w}`);
        const inserted = await tx.insertTrial(plan.trial);
        if (plan.patch) await tx.updateTrial(inserted.id, plan.patch);
        free[w] = plan.end + 15;
      }
    });
    if (largeTrials <= 0) return { showcaseId: study.id };
    const large = (await storage.createStudy(tenant.id, `large study (${largeTrials} trials)`, { ...SHOWCASE_CONFIG, maxTrials: largeTrials })).study;
    await storage.studyTransaction(tenant.id, large.id, async (tx) => {
      let clock = t0 + 40 * 60 - largeTrials * 5 - 300;
      for (let i = 0; i < largeTrials; i++) {
        const p = randomAssignment(rand);
        const m = curve(accuracyOf(p) + 0.01 * (rand() - 0.5), 10);
        clock += 5;
        await tx.insertTrial({ state: 'SUCCEEDED', parameters: p, clientId: `worker-${i % 8}`, measurements: m, finalMeasurement: m[9], startTime: clock, completeTime: clock + 38 });
      }
    });
    return { showcaseId: study.id, largeId: large.id };
  } finally {
    await storage.close();
  }
}
