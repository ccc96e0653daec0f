/** libs/space: search spaces — validation, the unit-cube encoding, sampling, designs and grids.
 *
 *  Exports (others code against these names):
 *  - types.ts, errors.ts (the domain errors every lib throws; @hpo/core re-exports them) and rng.ts (ParameterSpec, Assignment, SpaceEncoder, Rng, mixSeed, ...)
 *  - Goal ('MAXIMIZE' | 'MINIMIZE'): the one definition the libs and the server share
 *  - median(values): the one median the libs and benches share
 *  - validateSpace(space, field = 'config.parameters'): void
 *  - validateAssignment(space, assignment, field = 'parameters'): Assignment; validateValue(spec, raw, field)
 *  - activeParameters(space, assignment), flattenParameters(space), isChildActive(child, parentValue)
 *  - createEncoder(space): SpaceEncoder
 *  - sampleUniform(space, rng): Assignment
 *  - scrambledHalton(dimension, start, count, seed?): Float64Array[]   (unscrambled when seed is undefined)
 *    haltonSequence(dimension, seed?): { dimension, point(index) }     (same sequence, permutations built once)
 *  - gridPoints(space, resolution): Assignment[]; createGrid(space, resolution): Grid; gridValues(spec, resolution)
 *  - assignmentKey(space, assignment): string
 *  - encodedPrior(space, encoder), priorLogDensity, addPriorLogDensityGradient, samplePrior, DEFAULT_PRIOR_WIDTH (πBO priors)
 */
export * from './types';
export * from './errors';
export * from './rng';
export type { Goal } from './goal';
export { median } from './median';
export { validateSpace } from './validate-space';
export { validateAssignment, validateValue } from './validate-assignment';
export { activeParameters, flattenParameters, isChildActive } from './active-parameters';
export { createEncoder } from './encoder';
export { sampleUniform } from './sample-uniform';
export { scrambledHalton, haltonSequence, firstPrimes } from './halton';
export type { HaltonSequence } from './halton';
export { gridPoints, createGrid, gridValues } from './grid';
export type { Grid } from './grid';
export { assignmentKey } from './assignment-key';
export { encodedPrior, priorLogDensity, addPriorLogDensityGradient, samplePrior, DEFAULT_PRIOR_WIDTH, UNIFORM_MIXTURE } from './parameter-prior';
export type { EncodedPrior, PriorCoordinate } from './parameter-prior';
