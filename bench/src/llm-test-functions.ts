/** The benchmark functions of the LLM benchmark, with what a scripted adviser needs: the known optima
 *  (good advice) and the worst region (misleading advice). Branin: Dixon & Szegő 1978; Hartmann-6:
 *  Hartmann 1972, constants as in Surjanovic & Bingham's Virtual Library of Simulation Experiments. */
import type { ParameterSpec } from '@hpo/space';

export interface TestFunction {
  name: string;
  parameters: ParameterSpec[];
  description: string;
  evaluate(x: Record<string, number>): number;
  /** Global minimum value. */
  optimum: number;
  /** Global minimisers (Branin has three). */
  minimisers: Record<string, number>[];
  /** Points in the worst region (near the maximum). */
  worstPoints: Record<string, number>[];
}

export const branin: TestFunction = {
  name: 'branin',
  parameters: [
    { name: 'x1', type: 'DOUBLE', min: -5, max: 10, scale: 'LINEAR' },
    { name: 'x2', type: 'DOUBLE', min: 0, max: 15, scale: 'LINEAR' },
  ],
  description: 'The Branin-Hoo function, a standard 2-d test function for global optimisation; minimise it.',
  evaluate: ({ x1, x2 }) => {
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
  optimum: 0.397887,
  minimisers: [
    { x1: -Math.PI, x2: 12.275 },
    { x1: Math.PI, x2: 2.275 },
    { x1: 9.42478, x2: 2.475 },
  ],
  // The maximum (≈ 308) is at (−5, 0); the whole low-x1, low-x2 corner is bad.
  worstPoints: [{ x1: -5, x2: 0 }, { x1: -4.5, x2: 1 }, { x1: -4, x2: 0.5 }],
};

const H6_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));
const H6_NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];

export const hartmann6: TestFunction = {
  name: 'hartmann6',
  parameters: H6_NAMES.map((name) => ({ name, type: 'DOUBLE' as const, min: 0, max: 1, scale: 'LINEAR' as const })),
  description: 'The 6-d Hartmann function on the unit cube, a standard test function with several local minima; minimise it.',
  evaluate: (x) => {
    let sum = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H6_A[i][j] * (x[H6_NAMES[j]] - H6_P[i][j]) ** 2;
      sum += H6_ALPHA[i] * Math.exp(-inner);
    }
    return -sum;
  },
  optimum: -3.32237,
  minimisers: [Object.fromEntries(H6_NAMES.map((n, j) => [n, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573][j]]))],
  // Far from every P row the sum vanishes: f ≈ 0 is the worst the function gets.
  worstPoints: [Object.fromEntries(H6_NAMES.map((n, j) => [n, [0.95, 0.95, 0.05, 0.95, 0.95, 0.05][j]]))],
};
