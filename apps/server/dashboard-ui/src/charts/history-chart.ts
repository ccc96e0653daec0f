/** Optimisation history: each finished trial's objective by trial id (points; trials that ended early,
 *  stopped by a policy or a person, in the "stopped" colour) and the best so far (a step line, over
 *  every SUCCEEDED trial, as the service's ListOptimalTrials counts them). uPlot, updated in place on
 *  refresh so zoom survives polling. */
import uPlot from 'uplot';
import { fmtNumber } from '../format';
import { KIND_COLORS, trialKind } from '../trial-status';
import type { DashboardTrial, StudySummary } from '../types';

export const BEST_SO_FAR_COLOR = '#222222';

export function historyData(study: StudySummary, trials: DashboardTrial[]): uPlot.AlignedData {
  // Completed trials, and trials stopped early at their last value (the "stopped early" points); the
  // best so far counts completed trials only, as ListOptimalTrials does.
  const done = trials.filter((t) => t.value !== null && ((t.state === 'SUCCEEDED' && t.final) || t.state === 'EARLY_STOPPED')).sort((a, b) => a.id - b.id);
  const maximize = study.objective.goal === 'MAXIMIZE';
  const x: number[] = [];
  const completed: Array<number | null> = [];
  const stopped: Array<number | null> = [];
  const best: Array<number | null> = [];
  let incumbent: number | undefined;
  for (const t of done) {
    const v = t.value as number;
    const early = trialKind(study, t) === 'stopped';
    if (t.state === 'SUCCEEDED' && (incumbent === undefined || (maximize ? v > incumbent : v < incumbent))) incumbent = v;
    x.push(t.id);
    completed.push(early ? null : v);
    stopped.push(early ? v : null);
    best.push(incumbent ?? null);
  }
  return [x, completed, stopped, best];
}

const points = (color: string) => ({ stroke: color, width: 0, points: { show: true, size: 7, fill: color, stroke: color } });

export class HistoryChart {
  private plot?: uPlot;
  private drawn = false;

  constructor(
    private readonly host: HTMLElement,
    /** Called once, when the chart is first drawn (the page's time-to-first-chart mark). */
    private readonly onFirstDraw?: () => void,
  ) {}

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
        // The legend names the series (click one to hide it); the trial under the cursor is read out below it.
        legend: { live: false },
        hooks: {
          setCursor: [(u: uPlot) => this.readOut(u, study)],
          draw: [
            () => {
              if (this.drawn) return;
              this.drawn = true;
              this.onFirstDraw?.();
            },
          ],
        },
        // Trial ids are integers: no ticks at 1.5.
        axes: [{ label: 'trial', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }, { label: study.objective.name, size: 70 }],
        series: [
          { label: 'trial' },
          { label: study.objective.name, ...points(KIND_COLORS.running) },
          { label: 'stopped early', ...points(KIND_COLORS.stopped) },
          { label: `best so far (${study.objective.goal === 'MAXIMIZE' ? 'max' : 'min'})`, stroke: BEST_SO_FAR_COLOR, width: 2, paths: uPlot.paths.stepped!({ align: 1 }), points: { show: false } },
        ],
      },
      data,
      this.host,
    );
  }

  private readonly readout = document.createElement('div');

  /** "trial 12: val_accuracy 0.9342 · best so far 0.951" for the point nearest the cursor. */
  private readOut(u: uPlot, study: StudySummary): void {
    if (!this.readout.isConnected) {
      this.readout.className = 'muted small readout';
      this.host.append(this.readout);
    }
    const i = u.cursor.idx;
    if (i === null || i === undefined) {
      this.readout.textContent = '\u00a0';
      return;
    }
    const [x, completed, stopped, best] = u.data as unknown as Array<Array<number | null>>;
    const v = completed[i] ?? stopped[i];
    this.readout.textContent = `trial ${x[i]}: ${study.objective.name} ${fmtNumber(v)}${stopped[i] !== null ? ' (stopped early)' : ''} · best so far ${fmtNumber(best[i])}`;
  }

  resize(): void {
    this.plot?.setSize({ width: Math.max(320, this.host.clientWidth || 600), height: 280 });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
  }
}
