/** Records real learning curves for the early-stopping benchmark, once: a small multilayer perceptron
 *  (@tensorflow/tfjs, pure-JS CPU backend) trained epoch by epoch on the vendored digits data set
 *  (examples/data/digits.csv: 1797 8x8 images, 64 features + label), for a pool of random
 *  configurations. Each epoch's validation cross-entropy and error rate are written to
 *  bench/results/early-stopping.curves.json; the benchmark replays them, so the study loop is
 *  simulated on real curves without retraining.
 *
 *  Run: npm run build && node dist/bench/src/early-stopping-record-curves.js [configs] [epochs]
 *  (defaults 40 configurations x 30 epochs; a few minutes on 2 cores). Weights are initialised from a
 *  seed; tfjs shuffles mini-batches with Math.random, so a re-recording differs slightly — the JSON is
 *  the reference the benchmark uses. */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '@hpo/space';

export interface RecordedConfiguration {
  learningRate: number;
  hiddenUnits: number;
  l2: number;
  batchSize: number;
  optimizer: 'sgd' | 'adam';
}

export interface RecordedCurve {
  configuration: RecordedConfiguration;
  /** Validation cross-entropy after each epoch (null where training diverged to NaN/Infinity). */
  validationLoss: (number | null)[];
  validationError: (number | null)[];
}

export interface RecordedCurves {
  dataset: string;
  trainSize: number;
  validationSize: number;
  epochs: number;
  curves: RecordedCurve[];
}

const repoRoot = join(__dirname, '..', '..', '..');

function loadDigits(): { x: number[][]; y: number[] } {
  const text = readFileSync(join(repoRoot, 'examples', 'data', 'digits.csv'), 'utf8');
  const x: number[][] = [];
  const y: number[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map(Number);
    y.push(cells[cells.length - 1]);
    x.push(cells.slice(0, -1).map((v) => v / 16)); // pixel intensities are 0..16
  }
  return { x, y };
}

function sampleConfiguration(rng: Rng): RecordedConfiguration {
  const logUniform = (lo: number, hi: number): number => Math.exp(Math.log(lo) + rng.uniform() * (Math.log(hi) - Math.log(lo)));
  const optimizer = rng.uniform() < 0.5 ? 'sgd' : 'adam';
  // Adam is stable at smaller rates than SGD; both ranges reach into divergence on purpose.
  const learningRate = optimizer === 'adam' ? logUniform(1e-4, 0.3) : logUniform(1e-3, 3);
  return {
    learningRate,
    hiddenUnits: Math.round(logUniform(4, 128)),
    l2: logUniform(1e-6, 3e-2),
    batchSize: [16, 32, 64, 128, 256][rng.integer(5)],
    optimizer,
  };
}

async function trainCurve(
  c: RecordedConfiguration,
  data: { xTrain: tf.Tensor2D; yTrain: tf.Tensor2D; xVal: tf.Tensor2D; yVal: tf.Tensor2D },
  epochs: number,
  seed: number,
): Promise<RecordedCurve> {
  const model = tf.sequential();
  model.add(tf.layers.dense({
    inputShape: [64], units: c.hiddenUnits, activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    kernelRegularizer: tf.regularizers.l2({ l2: c.l2 }),
  }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
  const optimizer = c.optimizer === 'adam' ? tf.train.adam(c.learningRate) : tf.train.sgd(c.learningRate);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const validationLoss: (number | null)[] = [];
  const validationError: (number | null)[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    await model.fit(data.xTrain, data.yTrain, { epochs: 1, batchSize: c.batchSize, shuffle: true, verbose: 0 });
    const [loss, acc] = (model.evaluate(data.xVal, data.yVal) as tf.Scalar[]).map((t) => t.dataSync()[0]);
    validationLoss.push(Number.isFinite(loss) ? loss : null);
    validationError.push(Number.isFinite(acc) && Number.isFinite(loss) ? 1 - acc : null);
  }
  model.dispose();
  return { configuration: c, validationLoss, validationError };
}

async function main(): Promise<void> {
  const configs = Number(process.argv[2] ?? 40);
  const epochs = Number(process.argv[3] ?? 30);
  await tf.setBackend('cpu');
  const { x, y } = loadDigits();
  const rng = new Rng(20140101);
  const order = x.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const trainSize = 1200;
  const pick = (idx: number[]) => ({
    x: tf.tensor2d(idx.map((i) => x[i])),
    y: tf.oneHot(tf.tensor1d(idx.map((i) => y[i]), 'int32'), 10).toFloat() as tf.Tensor2D,
  });
  const train = pick(order.slice(0, trainSize));
  const val = pick(order.slice(trainSize));
  const data = { xTrain: train.x, yTrain: train.y, xVal: val.x, yVal: val.y };
  const curves: RecordedCurve[] = [];
  for (let k = 0; k < configs; k++) {
    const c = sampleConfiguration(rng);
    const t0 = Date.now();
    curves.push(await trainCurve(c, data, epochs, 1000 + k));
    const last = curves[k].validationLoss[epochs - 1];
    console.log(`config ${k + 1}/${configs} ${JSON.stringify(c)} final val loss ${last} (${Date.now() - t0} ms)`);
  }
  const out: RecordedCurves = { dataset: 'examples/data/digits.csv', trainSize, validationSize: x.length - trainSize, epochs, curves };
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'early-stopping.curves.json'), JSON.stringify(out, null, 1) + '\n');
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
