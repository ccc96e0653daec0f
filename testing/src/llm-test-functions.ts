/** The LLM benchmark's tasks: standard functions (standard-functions.ts, the one definition of each) with
 *  what an LLM and a scripted adviser need: a description, the known minimisers (good advice) and the
 *  worst region (misleading advice). */
import type { ParameterSpec } from '@hpo/space';
import { branin, hartmann6, parametersOf, pointOf } from './standard-functions';

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

export const braninTask: TestFunction = {
  name: 'branin',
  parameters: parametersOf(branin),
  description: 'The Branin-Hoo function, a standard 2-d test function for global optimisation; minimise it.',
  evaluate: (x) => branin.evaluate(pointOf(branin, x)),
  optimum: branin.minimum,
  minimisers: [
    { x1: -Math.PI, x2: 12.275 },
    { x1: Math.PI, x2: 2.275 },
    { x1: 9.42478, x2: 2.475 },
  ],
  // The maximum (≈ 308) is at (−5, 0); the whole low-x1, low-x2 corner is bad.
  worstPoints: [{ x1: -5, x2: 0 }, { x1: -4.5, x2: 1 }, { x1: -4, x2: 0.5 }],
};

const H6_NAMES = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];

export const hartmann6Task: TestFunction = {
  name: 'hartmann6',
  parameters: parametersOf(hartmann6),
  description: 'The 6-d Hartmann function on the unit cube, a standard test function with several local minima; minimise it.',
  evaluate: (x) => hartmann6.evaluate(pointOf(hartmann6, x)),
  optimum: hartmann6.minimum,
  minimisers: [Object.fromEntries(H6_NAMES.map((n, j) => [n, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573][j]]))],
  // Far from every P row the sum vanishes: f ≈ 0 is the worst the function gets.
  worstPoints: [Object.fromEntries(H6_NAMES.map((n, j) => [n, [0.95, 0.95, 0.05, 0.95, 0.95, 0.05][j]]))],
};
