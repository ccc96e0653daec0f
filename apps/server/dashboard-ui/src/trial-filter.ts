/** Which trials the table (and the brushed parallel coordinates) show: a set of states and, per
 *  parameter or the objective, a numeric range or a set of categories. Brushing an axis and the table's
 *  filter form both write here; every view that listens redraws. */
import type { DashboardTrial } from './types';

export type Range = { kind: 'range'; lo: number; hi: number } | { kind: 'categories'; values: string[] };

/** The objective's key in `ranges` (parameters use their own names). */
export const OBJECTIVE_KEY = '\u0000objective';

export class TrialFilter {
  /** Empty: every state. */
  readonly states = new Set<string>();
  readonly ranges = new Map<string, Range>();
  private readonly listeners: Array<() => void> = [];

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  changed(): void {
    for (const l of this.listeners) l();
  }

  setRange(key: string, range: Range | undefined): void {
    if (range) this.ranges.set(key, range);
    else this.ranges.delete(key);
    this.changed();
  }

  toggleState(state: string, on: boolean): void {
    if (on) this.states.add(state);
    else this.states.delete(state);
    this.changed();
  }

  clear(): void {
    this.states.clear();
    this.ranges.clear();
    this.changed();
  }

  get active(): boolean {
    return this.states.size > 0 || this.ranges.size > 0;
  }

  /** Whether the trial passes the ranges (not the states): what the brushes select. */
  inRanges(t: DashboardTrial): boolean {
    for (const [key, r] of this.ranges) {
      const v = key === OBJECTIVE_KEY ? t.value : t.parameters[key];
      if (r.kind === 'range') {
        if (typeof v !== 'number' || v < r.lo || v > r.hi) return false;
      } else if (v === undefined || v === null || !r.values.includes(String(v))) return false;
    }
    return true;
  }

  matches(t: DashboardTrial): boolean {
    return (this.states.size === 0 || this.states.has(t.state)) && this.inRanges(t);
  }
}
