/** Intermediate learning curves of every trial (objective by step), coloured by what became of the
 *  trial: running, paused (dashed), stopped early, completed, failed; a paused or stopped curve ends in
 *  a dot where it stopped. uPlot needs one shared x axis, so the curves are aligned on the union of
 *  their steps with gaps spanned. */
import uPlot from 'uplot';
import { KIND_COLORS, trialKind } from '../trial-status';
import type { DashboardTrial, StudySummary } from '../types';

export function curvesData(trials: DashboardTrial[]): { data: uPlot.AlignedData; shown: DashboardTrial[] } {
  const shown = trials.filter((t) => t.curve.length > 0).sort((a, b) => a.id - b.id);
  const steps = [...new Set(shown.flatMap((t) => t.curve.map(([s]) => s)))].sort((a, b) => a - b);
  const index = new Map(steps.map((s, i) => [s, i]));
  const columns = shown.map((t) => {
    const col: Array<number | null> = new Array(steps.length).fill(null);
    for (const [s, v] of t.curve) col[index.get(s) as number] = v;
    return col;
  });
  return { data: [steps, ...columns] as uPlot.AlignedData, shown };
}

export class CurvesChart {
  private plot?: uPlot;
  private signature = '';

  constructor(private readonly host: HTMLElement) {}

  update(study: StudySummary, trials: DashboardTrial[]): void {
    const { data, shown } = curvesData(trials);
    // Same trials in the same kinds: new points only, keep the chart (and its zoom).
    const signature = shown.map((t) => `${t.id}:${trialKind(study, t)}`).join(',');
    if (this.plot && signature === this.signature) {
      this.plot.setData(data);
      return;
    }
    this.signature = signature;
    this.plot?.destroy();
    this.plot = new uPlot(
      {
        width: Math.max(320, this.host.clientWidth || 600),
        height: 280,
        scales: { x: { time: false } },
        legend: { show: false },
        // A hover marker per series is a DOM element per trial: none past a few hundred curves.
        cursor: { points: { show: shown.length <= 200 } },
        axes: [{ label: 'step' }, { label: study.objective.name, size: 70 }],
        series: [
          { label: 'step' },
          ...shown.map((t) => {
            const kind = trialKind(study, t);
            const marked = kind === 'paused' || kind === 'stopped';
            return {
              label: `trial ${t.id} (${kind})`,
              stroke: KIND_COLORS[kind],
              width: kind === 'running' ? 2 : 1.25,
              dash: kind === 'paused' ? [6, 4] : undefined,
              spanGaps: true,
              // Only the last point of the curve, and only for curves that ended before the end.
              points: marked
                ? { show: true, size: 7, fill: KIND_COLORS[kind], stroke: KIND_COLORS[kind], filter: (u: uPlot, i: number) => lastDefined(u.data[i]) }
                : { show: false },
            };
          }),
        ],
      },
      data,
      this.host,
    );
  }

  resize(): void {
    this.plot?.setSize({ width: Math.max(320, this.host.clientWidth || 600), height: 280 });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.signature = '';
  }
}

function lastDefined(column: ArrayLike<number | null | undefined>): number[] | null {
  for (let i = column.length - 1; i >= 0; i--) if (column[i] !== null && column[i] !== undefined) return [i];
  return null;
}
