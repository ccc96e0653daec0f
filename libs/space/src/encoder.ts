/** The unit-cube encoding every model works in (Vizier's converters, BoTorch's normalised inputs):
 *  DOUBLE linearly or log-warped to [0, 1]; INTEGER and DISCRETE as a continuous relaxation whose
 *  feasible positions are listed in `grid`; CATEGORICAL one-hot. Inactive conditional parameters sit at
 *  a fixed neutral value (0.5, or an all-zero one-hot group) so two configurations that differ only in
 *  an unused child are at distance zero. */
import { isChildActive, flattenParameters } from './active-parameters';
import type { Assignment, EncodedFeature, ParameterSpec, ParameterValue, SearchSpace, SpaceEncoder } from './types';

/** Neutral coordinate of an inactive scalar parameter: the centre of its range. */
const NEUTRAL = 0.5;
/** Integer ranges wider than this are not listed in `grid` (a million positions help no optimiser);
 *  decode still rounds them to the nearest feasible integer. */
const MAX_LISTED_INTEGERS = 4096;

/** How one parameter occupies the encoding. */
interface Slot {
  spec: ParameterSpec;
  offset: number;
  width: number;
  write(value: ParameterValue, x: Float64Array): void;
  writeNeutral(x: Float64Array): void;
  read(x: ArrayLike<number>): ParameterValue;
}

export function createEncoder(space: SearchSpace): SpaceEncoder {
  const features: EncodedFeature[] = [];
  const slots = new Map<string, Slot>();
  let groups = 0;
  for (const spec of flattenParameters(space)) {
    const offset = features.length;
    const slot = spec.type === 'CATEGORICAL' ? oneHotSlot(spec, offset) : scalarSlot(spec, offset);
    slots.set(spec.name, slot);
    if (spec.type === 'CATEGORICAL') {
      const group = groups++;
      for (const category of spec.categories as string[]) features.push({ parameter: spec.name, kind: 'onehot', category, group });
    } else {
      features.push(scalarFeature(spec));
    }
  }
  const dimension = features.length;
  const slotOf = (p: ParameterSpec): Slot => slots.get(p.name) as Slot;

  const encode = (assignment: Assignment): Float64Array => {
    const x = new Float64Array(dimension);
    for (const slot of slots.values()) slot.writeNeutral(x);
    const visit = (p: ParameterSpec): void => {
      const value = assignment[p.name];
      if (value === undefined) throw new RangeError(`encode: active parameter "${p.name}" has no value`);
      slotOf(p).write(value, x);
      for (const child of p.children ?? []) if (isChildActive(child, value)) visit(child.parameter);
    };
    for (const p of space.parameters) visit(p);
    return x;
  };

  const decode = (x: ArrayLike<number>): Assignment => {
    if (x.length !== dimension) throw new RangeError(`decode: expected ${dimension} coordinates, got ${x.length}`);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new RangeError(`decode: coordinate ${i} is ${x[i]}, not a finite number`);
    }
    const out: Assignment = {};
    const visit = (p: ParameterSpec): void => {
      const value = slotOf(p).read(x);
      out[p.name] = value;
      for (const child of p.children ?? []) if (isChildActive(child, value)) visit(child.parameter);
    };
    for (const p of space.parameters) visit(p);
    return out;
  };

  return { dimension, features, encode, decode, project: (x) => encode(decode(x)) };
}

function scalarFeature(spec: ParameterSpec): EncodedFeature {
  if (spec.type === 'DOUBLE') return { parameter: spec.name, kind: 'continuous' };
  const warp = warpOf(spec);
  if (spec.type === 'DISCRETE') return { parameter: spec.name, kind: 'discrete', grid: (spec.values as number[]).map(warp.toUnit) };
  const min = spec.min as number;
  const max = spec.max as number;
  if (max - min + 1 > MAX_LISTED_INTEGERS) return { parameter: spec.name, kind: 'integer' };
  const grid: number[] = [];
  for (let v = min; v <= max; v++) grid.push(warp.toUnit(v));
  return { parameter: spec.name, kind: 'integer', grid };
}

/** The monotone map between a numeric parameter's range and [0, 1]; a degenerate range maps to the
 *  centre. */
export interface Warp {
  toUnit(v: number): number;
  fromUnit(t: number): number;
}

export function warpOf(spec: ParameterSpec): Warp {
  const lo = spec.type === 'DISCRETE' ? (spec.values as number[])[0] : (spec.min as number);
  const hi = spec.type === 'DISCRETE' ? (spec.values as number[])[(spec.values as number[]).length - 1] : (spec.max as number);
  if (hi === lo) return { toUnit: () => NEUTRAL, fromUnit: () => lo };
  const clampValue = (v: number): number => Math.min(hi, Math.max(lo, v));
  const clampUnit = (t: number): number => Math.min(1, Math.max(0, t));
  if (spec.scale === 'LOG') {
    const a = Math.log(lo);
    const width = Math.log(hi) - a;
    return {
      toUnit: (v) => clampUnit((Math.log(v) - a) / width),
      fromUnit: (t) => clampValue(Math.exp(a + clampUnit(t) * width)),
    };
  }
  return { toUnit: (v) => clampUnit((v - lo) / (hi - lo)), fromUnit: (t) => clampValue(lo + clampUnit(t) * (hi - lo)) };
}

function scalarSlot(spec: ParameterSpec, offset: number): Slot {
  const warp = warpOf(spec);
  const base = {
    spec,
    offset,
    width: 1,
    write: (value: ParameterValue, x: Float64Array) => {
      if (typeof value !== 'number') throw new RangeError(`encode: "${spec.name}" must be a number, got ${String(value)}`);
      x[offset] = warp.toUnit(value);
    },
    writeNeutral: (x: Float64Array) => {
      x[offset] = NEUTRAL;
    },
  };
  if (spec.type === 'DOUBLE') return { ...base, read: (x) => warp.fromUnit(x[offset]) };
  if (spec.type === 'INTEGER') return { ...base, read: (x) => nearestInteger(warp, x[offset], spec) };
  const values = spec.values as number[];
  const positions = values.map(warp.toUnit);
  return { ...base, read: (x) => values[nearestIndex(positions, x[offset])] };
}

/** The feasible integer nearest to t in the encoded space (for LOG scale this differs from rounding in
 *  value space), so decode agrees with the `grid` positions. */
function nearestInteger(warp: Warp, t: number, spec: ParameterSpec): number {
  const u = Math.min(1, Math.max(0, t));
  const v = warp.fromUnit(u);
  const lo = Math.max(spec.min as number, Math.floor(v));
  const hi = Math.min(spec.max as number, Math.ceil(v));
  return Math.abs(warp.toUnit(hi) - u) < Math.abs(warp.toUnit(lo) - u) ? hi : lo;
}

/** Index of the position nearest to t (positions ascending; ties go to the lower one). */
function nearestIndex(positions: number[], t: number): number {
  let lo = 0;
  let hi = positions.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (positions[mid] <= t) lo = mid;
    else hi = mid;
  }
  return Math.abs(positions[hi] - t) < Math.abs(positions[lo] - t) ? hi : lo;
}

function oneHotSlot(spec: ParameterSpec, offset: number): Slot {
  const categories = spec.categories as string[];
  const index = new Map(categories.map((c, i) => [c, i]));
  return {
    spec,
    offset,
    width: categories.length,
    write: (value, x) => {
      const i = index.get(value as string);
      if (i === undefined) throw new RangeError(`encode: "${String(value)}" is not a category of "${spec.name}"`);
      for (let k = 0; k < categories.length; k++) x[offset + k] = k === i ? 1 : 0;
    },
    writeNeutral: (x) => {
      for (let k = 0; k < categories.length; k++) x[offset + k] = 0;
    },
    read: (x) => {
      // argmax; ties (e.g. the all-zero neutral group) go to the first category.
      let best = 0;
      for (let k = 1; k < categories.length; k++) if (x[offset + k] > x[offset + best]) best = k;
      return categories[best];
    },
  };
}
