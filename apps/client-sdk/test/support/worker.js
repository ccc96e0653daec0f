// A worker process for restart.spec.ts: optimizes one trial with `clientId`, saving a checkpoint at every
// step; with --announce it prints "saved STEP" after each save and waits, to be killed mid-training.
// Plain JavaScript on the compiled SDK (dist/), as an installed worker runs.
const path = require('node:path');
const { HpoClient } = require(path.resolve(__dirname, '../../../../dist/apps/client-sdk/src'));

const [address, studyName, clientId, checkpointRoot, flag] = process.argv.slice(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const client = new HpoClient({ address });
  const study = await client.getStudy(studyName);
  const runs = [];
  const result = await study.optimize(
    async (trial) => {
      const ckpt = await trial.loadCheckpoint();
      let weights = ckpt ? ckpt.state.weights : 0;
      const run = { trial: trial.id, resumeFromStep: trial.resumeFromStep, restored: ckpt ? ckpt.state : null, steps: [] };
      runs.push(run);
      for (let step = (ckpt ? ckpt.step : 0) + 1; step <= 5; step++) {
        weights += step;
        run.steps.push(step);
        await trial.report(step, 1 / weights);
        await trial.saveCheckpoint({ weights }, step);
        if (flag === '--announce') {
          console.log(`saved ${step}`);
          await sleep(300);
        }
      }
      return 1 / weights;
    },
    { trials: 1, clientId, checkpointRoot },
  );
  console.log(JSON.stringify({ runs, trial: result.trials[0].id, loss: result.trials[0].finalMeasurement.metrics.loss }));
  client.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
