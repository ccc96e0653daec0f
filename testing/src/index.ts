/** @hpo/testing: what the tests, bench/ and the dashboard harness share (never imported by apps' or
 *  libs' sources). */
export { ManualClock } from './manual-clock';
