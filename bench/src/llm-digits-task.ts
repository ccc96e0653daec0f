/** The real example task of the LLM benchmark: examples/digits-mlp (a one-hidden-layer network on the
 *  UCI digits, TensorFlow.js CPU), trained for a few epochs per trial; the objective is validation
 *  accuracy. The "good" adviser proposes what an ML practitioner (or a decent LLM) would try first;
 *  the "misleading" one proposes the worst corner of the space. */
import * as tf from '@tensorflow/tfjs';
import type { StudyConfig } from '@hpo/core';
import { Rng } from '@hpo/space';
import type { Assignment } from '@hpo/space';
import { FEATURES, loadDigits, type DigitsSplit } from '../../examples/digits-mlp/digits-data';
import { buildModel, buildOptimizer, readHyperparameters } from '../../examples/digits-mlp/model';
import { digitsStudyConfig } from '../../examples/digits-mlp/search-space';
import { useCpuBackend } from '../../examples/digits-mlp/train';
import { readAsk, type Script } from '@hpo/testing';

export const DIGITS_EPOCHS = 3;

/** The example's space and description, as the libs see them (the SDK's StudyConfig is a superset). */
export function digitsSpace(): Pick<StudyConfig, 'parameters' | 'problemDescription'> {
  const c = digitsStudyConfig({ maxEpochs: DIGITS_EPOCHS, maxTrials: 0 });
  return { parameters: c.parameters as StudyConfig['parameters'], problemDescription: c.problemDescription ?? '' };
}

let data: DigitsSplit | undefined;
let tensors: { trainX: tf.Tensor2D; trainY: tf.Tensor1D; valX: tf.Tensor2D; valY: tf.Tensor1D } | undefined;

/** Validation accuracy after DIGITS_EPOCHS epochs. */
export async function evaluateDigits(params: Assignment): Promise<number> {
  await useCpuBackend();
  data ??= loadDigits();
  tensors ??= {
    trainX: tf.tensor2d(data.trainX, [data.trainY.length, FEATURES]),
    trainY: tf.tensor1d(data.trainY, 'float32'),
    valX: tf.tensor2d(data.valX, [data.valY.length, FEATURES]),
    valY: tf.tensor1d(data.valY, 'float32'),
  };
  const h = readHyperparameters(params as Record<string, number | string>);
  const model = buildModel(h, buildOptimizer(h));
  try {
    await model.fit(tensors.trainX, tensors.trainY, { epochs: DIGITS_EPOCHS, batchSize: h.batchSize, shuffle: true, verbose: 0 });
    return tf.tidy(() => (model.evaluate(tensors!.valX, tensors!.valY, { batchSize: 512 }) as tf.Scalar[])[1].dataSync()[0]);
  } finally {
    model.dispose();
  }
}

/** Advice for the digits task: near adam, lr 3e-3, 96 units, light dropout, batch 32 (good), or near
 *  sgd without momentum, lr 1e-4, 8 units, dropout 0.6, batch 128 (misleading), with some jitter. */
export function digitsAdviserScript(quality: 'good' | 'misleading', seed: number): Script {
  const rng = new Rng(seed);
  const jitter = (x: number, spread: number): number => Number((x * (1 + spread * (2 * rng.uniform() - 1))).toPrecision(4));
  const one = (): Assignment =>
    quality === 'good'
      ? { learning_rate: jitter(3e-3, 0.5), hidden_units: Math.round(jitter(96, 0.3)), dropout: jitter(0.1, 0.5), optimizer: 'adam', batch_size: 32 }
      : { learning_rate: jitter(1.2e-4, 0.15), hidden_units: 8 + rng.integer(2), dropout: jitter(0.58, 0.03), optimizer: 'sgd', momentum: jitter(0.02, 1), batch_size: 128 };
  return (body) => {
    const ask = readAsk(body);
    if (ask.kind === 'predictions') return { content: JSON.stringify({ predictions: ask.queries.map(() => 0.5) }) };
    return { content: JSON.stringify({ configurations: Array.from({ length: ask.count }, one) }) };
  };
}
