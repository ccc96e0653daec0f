/** Every algorithm this build provides. To add one: import its factory and register it here (one import,
 *  one line). Policy modules must not import libs/core/src/index.ts or create-policy.ts (that would be a
 *  cycle); they import types.ts, errors.ts, policy-registry.ts and libs/* directly. */
import { registerEarlyStoppingPolicy, registerSuggestionDecorator, registerSuggestionPolicy } from '../policy-registry';
import { createFreezeThawStoppingPolicy } from './freeze-thaw-stopping';
import { withFreezeThaw } from './freeze-thaw-suggestion';
import { createMedianStoppingPolicy } from './median-stopping';
import { createAshaStoppingPolicy, createHyperbandStoppingPolicy } from './successive-halving-stopping';
import { createGpBanditPolicy } from './gp-bandit';
import { createGridSearchPolicy } from './grid-search';
import { createNoEarlyStoppingPolicy } from './no-early-stopping';
import { createQuasiRandomSearchPolicy } from './quasi-random-search';
import { createRandomSearchPolicy } from './random-search';

registerSuggestionPolicy('RANDOM_SEARCH', createRandomSearchPolicy);
registerSuggestionPolicy('QUASI_RANDOM_SEARCH', createQuasiRandomSearchPolicy);
registerSuggestionPolicy('GRID_SEARCH', createGridSearchPolicy);
registerSuggestionPolicy('GP_BANDIT', createGpBanditPolicy);
registerSuggestionPolicy('LLM_GP_BANDIT', createGpBanditPolicy);

registerEarlyStoppingPolicy('NONE', createNoEarlyStoppingPolicy);
registerEarlyStoppingPolicy('MEDIAN', createMedianStoppingPolicy);
registerEarlyStoppingPolicy('ASHA', createAshaStoppingPolicy);
registerEarlyStoppingPolicy('HYPERBAND', createHyperbandStoppingPolicy);
registerEarlyStoppingPolicy('FREEZE_THAW', (config) => createFreezeThawStoppingPolicy(config));
// Every mode with curves feeds the suggestion policy the curve model's predicted finals; FREEZE_THAW
// also thaws paused trials.
for (const mode of ['FREEZE_THAW', 'MEDIAN', 'ASHA', 'HYPERBAND'] as const) registerSuggestionDecorator(mode, withFreezeThaw);
