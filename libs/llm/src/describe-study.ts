/** Serialising a study for a language model the way LLAMBO does (Liu et al., ICLR 2024, section 4 and
 *  appendix D): the problem description, then the space with each parameter's type, range and scale,
 *  then the observations as few-shot examples "Performance: … / Hyperparameter configuration: …". */
import type { StudyConfig } from '@hpo/core';
import type { Assignment, ParameterSpec } from '@hpo/space';
import { formatObjective, formatParameterValue } from './format-value';
import { parametersByName } from './space-walk';
import type { Observation } from './study-history';

export function describeProblem(config: StudyConfig): string {
  const metric = config.metrics[0];
  const direction = metric.goal === 'MINIMIZE' ? 'minimize it (lower is better)' : 'maximize it (higher is better)';
  const what = config.problemDescription.trim() || 'A black-box function of the parameters below.';
  return `Problem: ${what}\nObjective: the metric "${metric.name}"; we want to ${direction}.`;
}

function describeParameter(p: ParameterSpec): string {
  switch (p.type) {
    case 'DOUBLE':
      return `real number in [${p.min}, ${p.max}]${p.scale === 'LOG' ? ', log scale (vary it by factors)' : ''}`;
    case 'INTEGER':
      return `integer in [${p.min}, ${p.max}]${p.scale === 'LOG' ? ', log scale' : ''}`;
    case 'DISCRETE':
      return `one of the numbers ${JSON.stringify(p.values ?? [])}`;
    case 'CATEGORICAL':
      return `one of ${JSON.stringify(p.categories ?? [])}`;
  }
}

/** One line a parameter; a conditional child says when it exists. */
export function describeSpace(parameters: ParameterSpec[]): string {
  const lines: string[] = [];
  const visit = (p: ParameterSpec, condition: string): void => {
    lines.push(`- ${p.name}: ${describeParameter(p)}${condition}`);
    for (const c of p.children ?? []) {
      const when = c.parentCategories ?? c.parentValues ?? [];
      visit(c.parameter, ` (only when ${p.name} is ${when.map((v) => JSON.stringify(v)).join(' or ')}; omit it otherwise)`);
    }
  };
  for (const p of parameters) visit(p, '');
  return `The parameters and their allowed values:\n${lines.join('\n')}`;
}

/** A configuration as compact JSON in the space's declaration order, DOUBLEs rounded for the prompt. */
export function serialiseConfiguration(parameters: ParameterSpec[], assignment: Assignment): string {
  const byName = parametersByName(parameters);
  const ordered: Assignment = {};
  for (const name of byName.keys()) {
    if (Object.hasOwn(assignment, name)) ordered[name] = formatParameterValue(byName.get(name), assignment[name]);
  }
  return JSON.stringify(ordered);
}

export function fewShotExample(parameters: ParameterSpec[], o: Observation): string {
  return `Performance: ${formatObjective(o.value)}\nHyperparameter configuration: ${serialiseConfiguration(parameters, o.parameters)}`;
}
