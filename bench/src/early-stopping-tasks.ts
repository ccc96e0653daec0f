/** Learning-curve tasks for the early-stopping benchmark. A task instance is a finite pool of
 *  configurations, each with its full curve (the value reported at every step 1..maxStep; null where
 *  training produced NaN) and its true final value (what "quality" means when comparing methods). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParameterSpec } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import { Rng } from '@hpo/space';
import type { RecordedCurves } from './early-stopping-record-curves';

export interface CurveTask {
  name: string;
  description: string;
  goal: 'MINIMIZE' | 'MAXIMIZE';
  maxStep: number;
  parameters: ParameterSpec[];
  configurations: Assignment[];
  /** curves[i][s - 1] is configuration i's report at step s (null: NaN, the run failed). */
  curves: (number | null)[][];
  /** The noise-free (synthetic) or smoothed (real) value at maxStep; Infinity for a failed run. */
  trueFinal: number[];
}

const unitSquare: ParameterSpec[] = [
  { name: 'x1', type: 'DOUBLE', min: 0, max: 1 },
  { name: 'x2', type: 'DOUBLE', min: 0, max: 1 },
];

type Shape = (x: [number, number], a: number, rng: Rng) => { curve: (t: number) => number };

/** Asymptote over the unit square: a smooth bowl with a second, shallower basin, from 0.1 upwards. */
function asymptote(x: [number, number]): number {
  const main = (x[0] - 0.3) ** 2 + 0.6 * (x[1] - 0.7) ** 2;
  const second = 0.15 + 0.8 * ((x[0] - 0.8) ** 2 + (x[1] - 0.2) ** 2);
  return 0.1 + 1.2 * Math.min(main, second);
}

function syntheticTask(name: string, description: string, shape: Shape, seed: number, poolSize: number, maxStep: number, noise: number): CurveTask {
  const rng = new Rng(seed);
  const configurations: Assignment[] = [];
  const curves: (number | null)[][] = [];
  const trueFinal: number[] = [];
  for (let i = 0; i < poolSize; i++) {
    const x: [number, number] = [rng.uniform(), rng.uniform()];
    const { curve } = shape(x, asymptote(x), rng);
    configurations.push({ x1: x[0], x2: x[1] });
    curves.push(Array.from({ length: maxStep }, (_, s) => curve(s + 1) + noise * rng.normal()));
    trueFinal.push(curve(maxStep));
  }
  return { name, description, goal: 'MINIMIZE', maxStep, parameters: unitSquare, configurations, curves, trueFinal };
}

const exponential: Shape = (x, a, rng) => {
  const b = 0.5 + rng.uniform();
  const tau = 1.5 + 6 * rng.uniform();
  return { curve: (t) => a + b * Math.exp(-t / tau) };
};

/** Power laws are slower than any exponential: curves are still falling at maxStep. */
const powerLaw: Shape = (x, a, rng) => {
  const b = 0.5 + rng.uniform();
  const c = 0.5 + 1.2 * rng.uniform();
  return { curve: (t) => a + b * Math.pow(t, -c) };
};

/** The best asymptotes learn slowest (small learning rates): early on they look worst, so curves cross. */
const crossing: Shape = (x, a, rng) => {
  const b = 0.8 + 0.4 * rng.uniform();
  const slow = Math.max(0, Math.min(1, 1 - (a - 0.1) / 0.6));
  const tau = 1 + 9 * slow + rng.uniform();
  return { curve: (t) => a + b * Math.exp(-t / tau) };
};

/** Exponential decays, except that a quarter of the space (x1 > 0.75, "learning rate too high")
 *  starts well and then diverges: the loss grows exponentially after a turning step and the run turns
 *  to NaN once it passes 50. */
const divergent: Shape = (x, a, rng) => {
  const base = exponential(x, a, rng).curve;
  if (x[0] <= 0.75) return { curve: base };
  const turn = 3 + rng.integer(10);
  return { curve: (t) => base(t) + (t > turn ? 0.05 * (Math.exp(0.5 * (t - turn)) - 1) : 0) };
};

export function syntheticTasks(seed: number, pool = 60): CurveTask[] {
  const maxStep = 30;
  const tasks = [
    syntheticTask('exponential', 'a + b·exp(−t/τ), noise 0.01', exponential, seed * 101 + 1, pool, maxStep, 0.01),
    syntheticTask('power-law', 'a + b·t^(−c), noise 0.01', powerLaw, seed * 101 + 2, pool, maxStep, 0.01),
    syntheticTask('crossing', 'best asymptotes decay slowest, noise 0.01', crossing, seed * 101 + 3, pool, maxStep, 0.01),
    syntheticTask('divergent', '25% of runs diverge to NaN, noise 0.01', divergent, seed * 101 + 4, pool, maxStep, 0.01),
  ];
  // Divergent runs: NaN once the loss passes 50, and their final quality is a failure.
  const d = tasks[3];
  d.curves = d.curves.map((c) => {
    let failed = false;
    return c.map((v) => {
      if (failed || v === null || v > 50) {
        failed = true;
        return null;
      }
      return v;
    });
  });
  d.trueFinal = d.trueFinal.map((v, i) => (d.curves[i][maxStep - 1] === null || v > 50 ? Number.POSITIVE_INFINITY : v));
  return tasks;
}

/** Real curves recorded by early-stopping-record-curves.ts (validation cross-entropy of an MLP on the
 *  digits data set, epoch by epoch). The true final value is the mean of the last three epochs (a
 *  single epoch's validation loss is noisy); a null anywhere makes the run a failure. */
export function digitsTask(): CurveTask {
  const path = join(__dirname, '..', '..', '..', 'bench', 'results', 'early-stopping.curves.json');
  const recorded = JSON.parse(readFileSync(path, 'utf8')) as RecordedCurves;
  const maxStep = recorded.epochs;
  const curves = recorded.curves.map((c) => c.validationLoss);
  const trueFinal = curves.map((c) => {
    const tail = c.slice(maxStep - 3);
    return tail.some((v) => v === null) ? Number.POSITIVE_INFINITY : (tail as number[]).reduce((s, v) => s + v, 0) / 3;
  });
  return {
    name: 'digits-mlp (real)',
    description: `validation cross-entropy of a tfjs MLP on ${recorded.dataset}, ${recorded.curves.length} configurations x ${maxStep} epochs`,
    goal: 'MINIMIZE',
    maxStep,
    parameters: [
      { name: 'learning_rate', type: 'DOUBLE', min: 1e-4, max: 3, scale: 'LOG' },
      { name: 'hidden_units', type: 'DOUBLE', min: 4, max: 128, scale: 'LOG' },
      { name: 'l2', type: 'DOUBLE', min: 1e-6, max: 3e-2, scale: 'LOG' },
      { name: 'batch_size', type: 'DISCRETE', values: [16, 32, 64, 128, 256] },
      { name: 'optimizer', type: 'CATEGORICAL', categories: ['sgd', 'adam'] },
    ],
    configurations: recorded.curves.map((c) => ({
      learning_rate: c.configuration.learningRate,
      hidden_units: c.configuration.hiddenUnits,
      l2: c.configuration.l2,
      batch_size: c.configuration.batchSize,
      optimizer: c.configuration.optimizer,
    })),
    curves,
    trueFinal,
  };
}
