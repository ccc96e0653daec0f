/** ASHA and HYPERBAND: asynchronous successive halving and asynchronous Hyperband as stopping rules
 *  (libs/early-stopping's successiveHalvingDecision). ASHA has one bracket with rungs r_min·3^k;
 *  HYPERBAND gives each trial a bracket (by its id) whose rungs start 3^s times later, comparing a
 *  trial only with its own bracket, so some trials always train long enough to show a late bloomer
 *  (the crossing curves ASHA is fooled by). Stopped trials end EARLY_STOPPED. */
import { hyperbandBracket, hyperbandMaxBracket, rungMilestones, successiveHalvingDecision } from '@hpo/early-stopping';
import type { RungCurve } from '@hpo/early-stopping';
import type { EarlyStoppingPolicy, StudyConfig, TrialView } from '../types';
import { decideEach } from './decide-each';
import { earlyStoppingWarmUp, REDUCTION_FACTOR } from './early-stopping-warm-up';
import { objectiveCurve } from './median-stopping';

function rungCurve(config: StudyConfig, trial: TrialView): RungCurve {
  return { trialId: trial.id, ...objectiveCurve(config, trial) };
}

export function createAshaStoppingPolicy(config: StudyConfig): EarlyStoppingPolicy {
  const warmUp = earlyStoppingWarmUp(config);
  const rungs = rungMilestones(warmUp.minSteps, config.earlyStopping.maxStep, REDUCTION_FACTOR);
  return {
    name: 'ASHA',
    decide(request) {
      return decideEach('ASHA', request, (trial) => {
        const others = request.study.trials.filter((t) => t.id !== trial.id && t.state !== 'INFEASIBLE').map((t) => rungCurve(config, t));
        return successiveHalvingDecision({
          goal: config.metrics[0].goal, trial: rungCurve(config, trial), others, rungs, eta: REDUCTION_FACTOR, minTrials: warmUp.minTrials,
        });
      });
    },
  };
}

export function createHyperbandStoppingPolicy(config: StudyConfig): EarlyStoppingPolicy {
  const warmUp = earlyStoppingWarmUp(config);
  const { maxStep } = config.earlyStopping;
  const sMax = hyperbandMaxBracket(warmUp.minSteps, maxStep, REDUCTION_FACTOR);
  const bracketRungs = (s: number): number[] => rungMilestones(warmUp.minSteps * REDUCTION_FACTOR ** s, maxStep, REDUCTION_FACTOR);
  return {
    name: 'HYPERBAND',
    decide(request) {
      return decideEach('HYPERBAND', request, (trial) => {
        const bracket = hyperbandBracket(trial.id, sMax, REDUCTION_FACTOR);
        const others = request.study.trials
          .filter((t) => t.id !== trial.id && t.state !== 'INFEASIBLE' && hyperbandBracket(t.id, sMax, REDUCTION_FACTOR) === bracket)
          .map((t) => rungCurve(config, t));
        const d = successiveHalvingDecision({
          goal: config.metrics[0].goal, trial: rungCurve(config, trial), others, rungs: bracketRungs(bracket), eta: REDUCTION_FACTOR, minTrials: warmUp.minTrials,
        });
        return { decision: d.decision, reason: `bracket ${bracket} of ${sMax + 1}: ${d.reason}` };
      });
    },
  };
}
