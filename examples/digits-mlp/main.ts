/** Runs the digits study against a running server:
 *    node dist/examples/digits-mlp/main.js [trials] [parallel]
 *  with HPO_ADDRESS (default 127.0.0.1:50051) and HPO_API_KEY when the server has tenants. The CLI's
 *  `hpo demo` runs the same study against a server it starts itself. */
import { HpoClient } from '../../apps/client-sdk/src';
import { loadDigits } from './digits-data';
import { digitsStudyConfig } from './search-space';
import { digitsTrainingFunction } from './train';

const MAX_EPOCHS = 12;

async function main(): Promise<void> {
  const trials = Number(process.argv[2] ?? 16);
  const parallel = Number(process.argv[3] ?? 2);
  const client = new HpoClient();
  const study = await client.createStudy({
    displayName: 'digits-mlp',
    config: digitsStudyConfig({ maxEpochs: MAX_EPOCHS, maxTrials: trials, earlyStopping: 'FREEZE_THAW' }),
    ifExists: 'RETURN_EXISTING',
  });
  const result = await study.optimize(digitsTrainingFunction(loadDigits(), { maxEpochs: MAX_EPOCHS }), {
    trials,
    parallel,
    onProgress: ({ event, finished, target, best }) => {
      if (event.type === 'reported') return;
      const bestText = best ? ` best ${best.value.toFixed(4)} (trial ${best.trial.id})` : '';
      console.log(`[${finished}/${target}] trial ${event.trial.id} ${event.type}${bestText}`);
    },
  });
  console.log(JSON.stringify({ best: result.best?.parameters, value: result.best?.finalMeasurement?.metrics }, null, 2));
  client.close();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
