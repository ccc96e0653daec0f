/** A compact Nelder–Mead simplex minimiser (Nelder & Mead 1965, with the standard coefficients of
 *  Lagarias et al. 1998) inside box bounds (points are clamped). Freeze-thaw fits six or seven
 *  log-hyperparameters whose likelihood surface is cheap to evaluate but tedious to differentiate
 *  (α and β enter every curve's kernel matrix); a derivative-free simplex started from a few points
 *  is robust there and needs no gradient code. Deterministic: no randomness inside. */
export interface NelderMeadResult {
  x: number[];
  value: number;
  evaluations: number;
}

export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  options: { lower: readonly number[]; upper: readonly number[]; step: readonly number[]; maxEvaluations: number; tolerance?: number },
): NelderMeadResult {
  const d = start.length;
  const clamp = (x: number[]): number[] => x.map((v, i) => Math.min(options.upper[i], Math.max(options.lower[i], v)));
  let evaluations = 0;
  const evaluate = (x: number[]): number => {
    evaluations++;
    const v = f(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };
  const simplex: { x: number[]; v: number }[] = [];
  const x0 = clamp([...start]);
  simplex.push({ x: x0, v: evaluate(x0) });
  for (let i = 0; i < d; i++) {
    const x = [...x0];
    x[i] += x[i] + options.step[i] > options.upper[i] ? -options.step[i] : options.step[i];
    const xc = clamp(x);
    simplex.push({ x: xc, v: evaluate(xc) });
  }
  const tolerance = options.tolerance ?? 1e-7;
  while (evaluations < options.maxEvaluations) {
    simplex.sort((a, b) => a.v - b.v);
    const best = simplex[0];
    const worst = simplex[d];
    if (Math.abs(worst.v - best.v) <= tolerance * (1 + Math.abs(best.v))) break;
    const centroid = new Array<number>(d).fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] += simplex[i].x[j] / d;
    const along = (t: number): number[] => clamp(centroid.map((c, j) => c + t * (worst.x[j] - c)));
    const reflected = along(-1);
    const vr = evaluate(reflected);
    if (vr < best.v) {
      const expanded = along(-2);
      const ve = evaluate(expanded);
      simplex[d] = ve < vr ? { x: expanded, v: ve } : { x: reflected, v: vr };
    } else if (vr < simplex[d - 1].v) {
      simplex[d] = { x: reflected, v: vr };
    } else {
      const contracted = vr < worst.v ? along(-0.5) : along(0.5);
      const vc = evaluate(contracted);
      if (vc < Math.min(vr, worst.v)) {
        simplex[d] = { x: contracted, v: vc };
      } else {
        // Shrink towards the best vertex.
        for (let i = 1; i <= d; i++) {
          const x = clamp(simplex[i].x.map((v, j) => best.x[j] + 0.5 * (v - best.x[j])));
          simplex[i] = { x, v: evaluate(x) };
        }
      }
    }
  }
  simplex.sort((a, b) => a.v - b.v);
  return { x: simplex[0].x, value: simplex[0].v, evaluations };
}
