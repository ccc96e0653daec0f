/** Optimisation history: each completed trial's objective (points) and the best so far (a step line),
 *  by trial id. uPlot, updated in place on refresh so zoom survives polling. */
import uPlot from 'uplot';
import type { DashboardTrial, StudySummary } from '../types';

export function historyData(study: StudySummary, trials: DashboardTrial[]): uPlot.AlignedData {
  const done = trials.filter((t) => t.state === 'SUCCEEDED' && t.final && t.value !== null).sort((a, b) => a.id - b.id);
  const maximize = study.objective.goal === 'MAXIMIZE';
  const x: number[] = [];
  const y: number[] = [];
  const best: number[] = [];
  let incumbent: number | undefined;
  for (const t of done) {
    const v = t.value as number;
    if (incumbent === undefined || (maximize ? v > incumbent : v < incumbent)) incumbent = v;
    x.push(t.id);
    y.push(v);
    best.push(incumbent);
  }
  return [x, y, best];
}

export class HistoryChart {
  private plot?: uPlot;

  constructor(private readonly host: HTMLElement) {}

  update(study: StudySummary, trials: DashboardTrial[]): void {
    const data = historyData(study, trials);
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    this.plot = new uPlot(
      {
        width: Math.max(320, this.host.clientWidth || 600),
        height: 280,
        scales: { x: { time: false } },
        axes: [{ label: 'trial' }, { label: study.objective.name, size: 70 }],
        series: [
          { label: 'trial' },
          { label: study.objective.name, stroke: '#1f77b4', width: 0, points: { show: true, size: 7, fill: '#1f77b4' } },
          { label: `best so far (${study.objective.goal === 'MAXIMIZE' ? 'max' : 'min'})`, stroke: '#d62728', width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
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
  }
}
