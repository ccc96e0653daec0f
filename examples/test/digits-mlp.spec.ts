/** The example's data and checkpoint: the vendored digits load into a fixed split, and a tfjs model
 *  and its optimizer state survive a save/restore exactly (what makes a resumed trial a real resume). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { FEATURES, loadDigits } from '../digits-mlp/digits-data';
import { buildModel, buildOptimizer, readHyperparameters, restoreWeights, saveWeights } from '../digits-mlp/model';
import { useCpuBackend } from '../digits-mlp/train';

describe('digits data', () => {
  it('loads 1,797 images into a fixed 1,438 / 359 split with pixels in [0, 1] and labels 0..9', () => {
    const a = loadDigits();
    const b = loadDigits();
    expect(a.trainY.length).toBe(1438);
    expect(a.valY.length).toBe(359);
    expect(a.trainX.length).toBe(1438 * FEATURES);
    expect(Math.min(...a.trainX)).toBe(0);
    expect(Math.max(...a.trainX)).toBe(1);
    expect(new Set(a.valY)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(Array.from(b.valY)).toEqual(Array.from(a.valY));
  });
});

describe('digits model checkpoint', () => {
  beforeAll(() => useCpuBackend());

  it.each(['adam', 'sgd', 'rmsprop'])('restores model weights and %s state exactly', async (optimizerName) => {
    const h = readHyperparameters({ learning_rate: 0.01, hidden_units: 16, dropout: 0.1, optimizer: optimizerName, momentum: 0.9, batch_size: 64 });
    const data = loadDigits();
    const x = tf.tensor2d(data.trainX.subarray(0, 256 * FEATURES), [256, FEATURES]);
    const y = tf.tensor1d(data.trainY.subarray(0, 256), 'float32');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hpo-digits-ckpt-'));
    try {
      const opt = buildOptimizer(h);
      const model = buildModel(h, opt);
      await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
      const manifest = await saveWeights(model, opt, dir);

      const opt2 = buildOptimizer(h);
      const model2 = buildModel(h, opt2);
      await restoreWeights(model2, opt2, dir, manifest);
      const p1 = (model.predict(x) as tf.Tensor).dataSync();
      const p2 = (model2.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(p2)).toEqual(Array.from(p1));
      const w1 = await opt.getWeights();
      const w2 = await opt2.getWeights();
      expect(w2.map((w) => w.name)).toEqual(w1.map((w) => w.name));
      expect(w2.map((w) => Array.from(w.tensor.dataSync()))).toEqual(w1.map((w) => Array.from(w.tensor.dataSync())));
      if (optimizerName !== 'sgd') expect(w1.length).toBeGreaterThan(1); // real state, not only the step counter
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      x.dispose();
      y.dispose();
    }
  });

  it('rejects a configuration it cannot build, naming the parameter', () => {
    expect(() => readHyperparameters({ learning_rate: 0.01, hidden_units: 16, dropout: 0, optimizer: 'lbfgs', batch_size: 8 })).toThrow(
      'parameter optimizer must be adam, sgd or rmsprop, got lbfgs',
    );
    expect(() => readHyperparameters({ learning_rate: Number.NaN, hidden_units: 16, dropout: 0, optimizer: 'adam', batch_size: 8 })).toThrow(
      'parameter learning_rate must be a finite number, got NaN',
    );
  });
});
