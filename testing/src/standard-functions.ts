/** Standard global-optimisation test functions, all to be minimised, with their known minima. Definitions
 *  and constants from Surjanovic & Bingham's Virtual Library of Simulation Experiments (sfu.ca/~ssurjano):
 *  Branin (Dixon & Szegő 1978), Hartmann-3/6 (Hartmann 1972), Ackley (Ackley 1987), Levy (Levy & Montalvo
 *  1985), Rosenbrock (1960). */
import type { ParameterSpec } from '@hpo/space';

export interface BenchmarkFunction {
  name: string;
  dimension: number;
  /** Box bounds per coordinate. */
  lower: number[];
  upper: number[];
  /** f at a point of the box (no noise). */
  evaluate(x: number[]): number;
  /** The global minimum value. */
  minimum: number;
  /** Std. dev. of Gaussian observation noise added by the benchmark (0: deterministic). */
  noise: number;
}

/** The function's box as DOUBLE parameters x1..xd. */
export function parametersOf(f: BenchmarkFunction): ParameterSpec[] {
  return f.lower.map((lo, i) => ({ name: `x${i + 1}`, type: 'DOUBLE', min: lo, max: f.upper[i], scale: 'LINEAR' }));
}

export function pointOf(f: BenchmarkFunction, parameters: Record<string, number | string>): number[] {
  return f.lower.map((_, i) => Number(parameters[`x${i + 1}`]));
}

export const branin: BenchmarkFunction = {
  name: 'Branin',
  dimension: 2,
  lower: [-5, 0],
  upper: [10, 15],
  evaluate: ([x1, x2]) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
  minimum: 0.39788735772973816,
  noise: 0,
};

const HARTMANN_ALPHA = [1, 1.2, 3, 3.2];
const HARTMANN3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]];
const HARTMANN3_P = [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]].map((r) => r.map((v) => v * 1e-4));
const HARTMANN6_A = [
  [10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN6_P = [
  [1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381],
].map((r) => r.map((v) => v * 1e-4));

function hartmann(a: number[][], p: number[][], x: number[]): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < x.length; j++) inner += a[i][j] * (x[j] - p[i][j]) ** 2;
    sum += HARTMANN_ALPHA[i] * Math.exp(-inner);
  }
  return -sum;
}

export const hartmann3: BenchmarkFunction = {
  name: 'Hartmann-3', dimension: 3, lower: [0, 0, 0], upper: [1, 1, 1],
  evaluate: (x) => hartmann(HARTMANN3_A, HARTMANN3_P, x), minimum: -3.86278214782076, noise: 0,
};

export const hartmann6: BenchmarkFunction = {
  name: 'Hartmann-6', dimension: 6, lower: Array(6).fill(0), upper: Array(6).fill(1),
  evaluate: (x) => hartmann(HARTMANN6_A, HARTMANN6_P, x), minimum: -3.32236801141551, noise: 0,
};

export function ackley(dimension: number): BenchmarkFunction {
  return {
    name: `Ackley-${dimension}`, dimension, lower: Array(dimension).fill(-32.768), upper: Array(dimension).fill(32.768),
    evaluate: (x) => {
      const d = x.length;
      const sq = x.reduce((s, v) => s + v * v, 0) / d;
      const cos = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
      return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cos) + 20 + Math.E;
    },
    minimum: 0, noise: 0,
  };
}

export function levy(dimension: number): BenchmarkFunction {
  return {
    name: `Levy-${dimension}`, dimension, lower: Array(dimension).fill(-10), upper: Array(dimension).fill(10),
    evaluate: (x) => {
      const w = x.map((v) => 1 + (v - 1) / 4);
      const d = w.length;
      let s = Math.sin(Math.PI * w[0]) ** 2;
      for (let i = 0; i < d - 1; i++) s += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2);
      return s + (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2);
    },
    minimum: 0, noise: 0,
  };
}

export function rosenbrock(dimension: number): BenchmarkFunction {
  return {
    name: `Rosenbrock-${dimension}`, dimension, lower: Array(dimension).fill(-5), upper: Array(dimension).fill(10),
    evaluate: (x) => {
      let s = 0;
      for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2;
      return s;
    },
    minimum: 0, noise: 0,
  };
}

/** The same function observed with Gaussian noise of the given std. dev. (regret is still measured on
 *  the noise-free value). */
export function noisy(f: BenchmarkFunction, noise: number): BenchmarkFunction {
  return { ...f, name: `${f.name} (noise σ=${noise})`, noise };
}

export const QUALITY_FUNCTIONS: BenchmarkFunction[] = [
  branin, hartmann3, hartmann6, ackley(5), ackley(10), levy(10), rosenbrock(4), noisy(hartmann6, 0.1),
];
