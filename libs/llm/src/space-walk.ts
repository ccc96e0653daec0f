/** The conditional tree of a space as the LLM module needs it: by name, and which children a parent's
 *  value switches on. */
import type { ConditionalParameter, ParameterSpec, ParameterValue } from '@hpo/space';

export function isChildActive(child: ConditionalParameter, parentValue: ParameterValue): boolean {
  if (typeof parentValue === 'string') return (child.parentCategories ?? []).includes(parentValue);
  return (child.parentValues ?? []).includes(parentValue);
}

/** Every parameter, children included, parents before children. */
export function allParameters(parameters: ParameterSpec[]): ParameterSpec[] {
  const out: ParameterSpec[] = [];
  const visit = (p: ParameterSpec): void => {
    out.push(p);
    for (const c of p.children ?? []) visit(c.parameter);
  };
  parameters.forEach(visit);
  return out;
}

export function parametersByName(parameters: ParameterSpec[]): Map<string, ParameterSpec> {
  return new Map(allParameters(parameters).map((p) => [p.name, p]));
}
