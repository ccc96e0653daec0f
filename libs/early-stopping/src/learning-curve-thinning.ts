/** Long curves are summarised before the model sees them: the last few reports are kept as they are
 *  (they carry the curve's current level and slope, which the extrapolation to max_step rests on) and
 *  the earlier ones are averaged in consecutive bins, each bin becoming one point at its mean step with
 *  weight = its size (noise variance σ²/weight). The decay kernel is smooth in t, so this loses little
 *  while bounding every curve's solve to maxPoints³. */
export interface ThinnedCurve {
  steps: number[];
  values: number[];
  weights: number[];
}

export function thinLearningCurve(steps: readonly number[], values: readonly number[], maxPoints: number): ThinnedCurve {
  const n = steps.length;
  if (n <= maxPoints) return { steps: [...steps], values: [...values], weights: new Array<number>(n).fill(1) };
  const keepLast = Math.max(1, Math.floor(maxPoints / 3));
  const bins = maxPoints - keepLast;
  const early = n - keepLast;
  const out: ThinnedCurve = { steps: [], values: [], weights: [] };
  for (let b = 0; b < bins; b++) {
    const from = Math.floor((b * early) / bins);
    const to = Math.floor(((b + 1) * early) / bins);
    if (to <= from) continue;
    let s = 0;
    let v = 0;
    for (let i = from; i < to; i++) {
      s += steps[i];
      v += values[i];
    }
    out.steps.push(s / (to - from));
    out.values.push(v / (to - from));
    out.weights.push(to - from);
  }
  for (let i = early; i < n; i++) {
    out.steps.push(steps[i]);
    out.values.push(values[i]);
    out.weights.push(1);
  }
  return out;
}
