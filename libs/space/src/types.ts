/** The search space as the libs see it: plain data, independent of the wire format (the server maps
 *  proto messages to these). */

export type ParameterType = 'DOUBLE' | 'INTEGER' | 'DISCRETE' | 'CATEGORICAL';
export type Scale = 'LINEAR' | 'LOG';

export interface ParameterSpec {
  name: string;
  type: ParameterType;
  /** DOUBLE and INTEGER bounds (inclusive). */
  min?: number;
  max?: number;
  /** DISCRETE values, ascending and distinct. */
  values?: number[];
  /** CATEGORICAL choices, distinct. */
  categories?: string[];
  scale?: Scale;
  /** A belief about where the optimum lies (πBO, Hvarfner et al. 2022): GP_BANDIT draws its initial
   *  design from it and weighs its acquisition by it, less as data arrive. DOUBLE, INTEGER, DISCRETE. */
  prior?: ParameterPrior;
  /** Parameters that exist only for some values of this one. */
  children?: ConditionalParameter[];
}

export interface ParameterPrior {
  /** The believed best value, in the parameter's own units, within its bounds. */
  center: number;
  /** The belief's standard deviation as a fraction of the parameter's range on its scale (log range
   *  for LOG); absent: DEFAULT_PRIOR_WIDTH. Small is confident. */
  width?: number;
}

export interface ConditionalParameter {
  /** The child is active when the parent's value is one of these (categories for CATEGORICAL parents,
   *  numbers for INTEGER and DISCRETE parents). */
  parentCategories?: string[];
  parentValues?: number[];
  parameter: ParameterSpec;
}

export interface SearchSpace {
  parameters: ParameterSpec[];
}

export type ParameterValue = number | string;

/** A configuration: only the parameters active under their parents' values are present. */
export type Assignment = Record<string, ParameterValue>;

/** How one coordinate of the unit-cube encoding came about; models use it to respect the space
 *  (round integers, keep one-hot groups one-hot, ignore inactive children). */
export interface EncodedFeature {
  /** The parameter this coordinate encodes. */
  parameter: string;
  kind: 'continuous' | 'integer' | 'discrete' | 'onehot';
  /** For 'onehot': the category of this coordinate, and all coordinates of the group share `group`. */
  category?: string;
  group?: number;
  /** For 'integer' and 'discrete': the encoded positions in [0, 1] that are feasible, ascending. */
  grid?: number[];
}

/** Maps configurations to points of [0, 1]^dimension and back. Inactive conditional parameters are
 *  encoded at a fixed neutral value so that they do not distort distances. */
export interface SpaceEncoder {
  readonly dimension: number;
  readonly features: readonly EncodedFeature[];
  encode(assignment: Assignment): Float64Array;
  /** Any point of the cube (continuous relaxation) decodes to a valid assignment: integers rounded,
   *  one-hot groups decided by their largest coordinate, inactive children dropped. */
  decode(x: ArrayLike<number>): Assignment;
  /** Projects a relaxed point onto the feasible encodings (decode then encode). */
  project(x: ArrayLike<number>): Float64Array;
}
