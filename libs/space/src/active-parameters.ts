/** Walking the conditional tree: which parameters exist in a configuration, and all of them. */
import type { Assignment, ConditionalParameter, ParameterSpec, ParameterValue, SearchSpace } from './types';

/** Whether a child is switched on by its parent's value (categories for CATEGORICAL parents, numbers
 *  for INTEGER and DISCRETE parents). */
export function isChildActive(child: ConditionalParameter, parentValue: ParameterValue | undefined): boolean {
  if (parentValue === undefined) return false;
  if (typeof parentValue === 'string') return (child.parentCategories ?? []).includes(parentValue);
  return (child.parentValues ?? []).some((v) => v === parentValue);
}

/** Every parameter of the space, children included, depth first in declaration order (a parent comes
 *  before its children). */
export function flattenParameters(space: SearchSpace): ParameterSpec[] {
  const out: ParameterSpec[] = [];
  const visit = (p: ParameterSpec): void => {
    out.push(p);
    for (const child of p.children ?? []) visit(child.parameter);
  };
  for (const p of space.parameters) visit(p);
  return out;
}

/** The parameters that exist under this assignment: top-level ones always, children only when their
 *  parent is active and its value is among the child's parent values. Same order as flattenParameters. */
export function activeParameters(space: SearchSpace, assignment: Assignment): ParameterSpec[] {
  const out: ParameterSpec[] = [];
  const visit = (p: ParameterSpec): void => {
    out.push(p);
    const value = Object.hasOwn(assignment, p.name) ? assignment[p.name] : undefined;
    for (const child of p.children ?? []) {
      if (isChildActive(child, value)) visit(child.parameter);
    }
  };
  for (const p of space.parameters) visit(p);
  return out;
}
