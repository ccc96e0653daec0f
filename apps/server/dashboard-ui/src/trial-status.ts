/** How a trial is drawn: running, paused, stopped (early, by a policy or a person), completed, failed. */
import type { DashboardTrial, StudySummary } from './types';

export type TrialKind = 'running' | 'paused' | 'stopped' | 'completed' | 'failed' | 'waiting';

export const KIND_COLORS: Record<TrialKind, string> = {
  running: '#1f77b4',
  paused: '#ff9f1c',
  stopped: '#d62728',
  completed: '#2ca02c',
  failed: '#8c8c8c',
  waiting: '#9467bd',
};

export function trialKind(study: StudySummary, t: DashboardTrial): TrialKind {
  switch (t.state) {
    case 'ACTIVE':
      return 'running';
    case 'PAUSED':
      return 'paused';
    case 'STOPPING':
      return 'stopped';
    case 'REQUESTED':
      return 'waiting';
    case 'EARLY_STOPPED':
      return 'stopped';
    case 'SUCCEEDED':
      // Ended before the study's last step (an early-stopping decision), or stopped by a person (StopTrial).
      if ((study.maxStep > 0 && t.lastStep > 0 && t.lastStep < study.maxStep) || /StopTrial/.test(t.statusReason)) return 'stopped';
      return 'completed';
    default:
      return 'failed';
  }
}
