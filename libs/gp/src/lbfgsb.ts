/** Box-constrained limited-memory BFGS, in the projected form: the L-BFGS two-loop direction (Nocedal &
 *  Wright 2006, Alg. 7.4) restricted to the free variables, a projected backtracking (Armijo) line search
 *  along the projection arc (Bertsekas 1982; Kim, Sra & Dhillon 2010 "Tackling box-constrained
 *  optimization via a new projected quasi-Newton approach"). Simpler than Byrd et al.'s L-BFGS-B
 *  (no generalised Cauchy point), and enough for the small smooth problems here: GP hyperparameters
 *  (d + 3 variables) and acquisition refinement (d variables). Minimises. */

export interface BoxProblem {
  /** Objective and its gradient at x (the gradient written into `gradient`). May return a non-finite
   *  value, which the line search treats as "too far". */
  evaluate(x: Float64Array, gradient: Float64Array): number;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
}

export interface LbfgsbOptions {
  maxIterations?: number;
  /** History pairs kept (m in Nocedal & Wright); 5–10 is customary. */
  memory?: number;
  /** Stop when the projected gradient's ∞-norm falls below this. */
  gradientTolerance?: number;
  /** Stop when the relative decrease of f over an iteration falls below this. */
  relativeTolerance?: number;
}

export interface LbfgsbResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
}

const ARMIJO = 1e-4;

export function minimizeLbfgsb(problem: BoxProblem, start: ArrayLike<number>, options: LbfgsbOptions = {}): LbfgsbResult {
  const maxIterations = options.maxIterations ?? 100;
  const memory = options.memory ?? 7;
  const gradientTolerance = options.gradientTolerance ?? 1e-6;
  const relativeTolerance = options.relativeTolerance ?? 1e-9;
  const { lower, upper } = problem;
  const n = start.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = clamp(start[i], lower[i], upper[i]);
  const g = new Float64Array(n);
  let f = problem.evaluate(x, g);
  let evaluations = 1;
  if (!Number.isFinite(f)) return { x, value: f, iterations: 0, evaluations };

  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  const trial = new Float64Array(n);
  const trialGradient = new Float64Array(n);
  const free = new Uint8Array(n);
  let iterations = 0;

  for (; iterations < maxIterations; iterations++) {
    // Active set: variables at a bound whose gradient pushes further out stay fixed this iteration.
    let projectedNorm = 0;
    for (let i = 0; i < n; i++) {
      const atLower = x[i] <= lower[i] && g[i] > 0;
      const atUpper = x[i] >= upper[i] && g[i] < 0;
      free[i] = atLower || atUpper ? 0 : 1;
      if (free[i]) projectedNorm = Math.max(projectedNorm, Math.abs(g[i]));
    }
    if (projectedNorm < gradientTolerance) break;

    twoLoopDirection(g, free, sHistory, yHistory, rhoHistory, direction);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += direction[i] * g[i];
    if (!(slope < 0)) {
      // Not a descent direction (stale curvature pairs): restart from steepest descent.
      sHistory.length = 0;
      yHistory.length = 0;
      rhoHistory.length = 0;
      for (let i = 0; i < n; i++) direction[i] = free[i] ? -g[i] : 0;
    }
    // First iteration without curvature information: a unit step in the largest coordinate.
    let step = sHistory.length === 0 ? Math.min(1, 1 / maxAbs(direction)) : 1;
    let accepted = false;
    let trialValue = f;
    for (let attempt = 0; attempt < 30; attempt++) {
      let decrease = 0;
      for (let i = 0; i < n; i++) {
        trial[i] = clamp(x[i] + step * direction[i], lower[i], upper[i]);
        decrease += g[i] * (trial[i] - x[i]);
      }
      trialValue = problem.evaluate(trial, trialGradient);
      evaluations++;
      if (Number.isFinite(trialValue) && trialValue <= f + ARMIJO * decrease) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) break;

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = trial[i] - x[i];
      y[i] = trialGradient[i] - g[i];
      sy += s[i] * y[i];
    }
    const previous = f;
    x.set(trial);
    g.set(trialGradient);
    f = trialValue;
    // Keep only pairs with positive curvature so the implicit Hessian stays positive definite.
    if (sy > 1e-10 * dot(y, y)) {
      sHistory.push(s);
      yHistory.push(y);
      rhoHistory.push(1 / sy);
      if (sHistory.length > memory) {
        sHistory.shift();
        yHistory.shift();
        rhoHistory.shift();
      }
    }
    if (Math.abs(previous - f) <= relativeTolerance * Math.max(1, Math.abs(f))) {
      iterations++;
      break;
    }
  }
  return { x, value: f, iterations, evaluations };
}

/** d = −H g on the free variables (two-loop recursion), zero on the fixed ones. */
function twoLoopDirection(
  g: Float64Array, free: Uint8Array, sHistory: Float64Array[], yHistory: Float64Array[], rho: number[], out: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) out[i] = free[i] ? -g[i] : 0;
  const m = sHistory.length;
  if (m === 0) return;
  const alphas = new Float64Array(m);
  for (let k = m - 1; k >= 0; k--) {
    const a = rho[k] * maskedDot(sHistory[k], out, free);
    alphas[k] = a;
    const y = yHistory[k];
    for (let i = 0; i < n; i++) if (free[i]) out[i] -= a * y[i];
  }
  // Initial Hessian scaling γ = sᵀy / yᵀy of the newest pair (Nocedal & Wright eq. 7.20).
  const yLast = yHistory[m - 1];
  const gamma = 1 / (rho[m - 1] * dot(yLast, yLast));
  for (let i = 0; i < n; i++) out[i] *= gamma;
  for (let k = 0; k < m; k++) {
    const b = rho[k] * maskedDot(yHistory[k], out, free);
    const s = sHistory[k];
    for (let i = 0; i < n; i++) if (free[i]) out[i] += (alphas[k] - b) * s[i];
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maskedDot(a: Float64Array, b: Float64Array, free: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) if (free[i]) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m > 0 ? m : 1;
}
