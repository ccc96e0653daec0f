/** The real task of the GP_BANDIT benchmark: examples/digits-mlp's one-hidden-layer network on the UCI
 *  digits (its data split, model, optimizer and search space, unchanged), trained for a fixed number of
 *  epochs per trial; the objective is validation accuracy after the last epoch. */
import * as tf from '@tensorflow/tfjs';
import { studyConfig } from '@hpo/core';
import type { AlgorithmName, StudyConfig } from '@hpo/core';
import type { Assignment } from '@hpo/space';
import { FEATURES, loadDigits, type DigitsSplit } from '../../examples/digits-mlp/digits-data';
import { buildModel, buildOptimizer, readHyperparameters } from '../../examples/digits-mlp/model';
import { digitsStudyConfig } from '../../examples/digits-mlp/search-space';
import { useCpuBackend } from '../../examples/digits-mlp/train';

/** The example's study as the libs see it, for one method and seed (no early stopping: every trial
 *  trains the same number of epochs, so methods differ only in which configurations they pick). */
export function digitsBenchmarkConfig(algorithm: AlgorithmName, epochs: number, seed: number): StudyConfig {
  const example = digitsStudyConfig({ maxEpochs: epochs, maxTrials: 0 });
  return studyConfig({
    parameters: example.parameters as StudyConfig['parameters'],
    metrics: [{ name: 'val_accuracy', goal: 'MAXIMIZE' }],
    algorithm,
    problemDescription: example.problemDescription ?? '',
    seed,
    leaseSeconds: 60,
  });
}

type DigitsTensors = { trainX: tf.Tensor2D; trainY: tf.Tensor1D; valX: tf.Tensor2D; valY: tf.Tensor1D };
let tensors: DigitsTensors | undefined;

function digitsTensors(data: DigitsSplit): DigitsTensors {
  tensors ??= {
    trainX: tf.tensor2d(data.trainX, [data.trainY.length, FEATURES]),
    trainY: tf.tensor1d(data.trainY, 'float32'),
    valX: tf.tensor2d(data.valX, [data.valY.length, FEATURES]),
    valY: tf.tensor1d(data.valY, 'float32'),
  };
  return tensors;
}

/** Validation accuracy of the example's network with these hyperparameters after `epochs` epochs on the
 *  example's fixed training split (same code path as examples/digits-mlp/train.ts, without checkpoints). */
export async function digitsValidationAccuracy(params: Assignment, epochs: number): Promise<number> {
  await useCpuBackend();
  const { trainX, trainY, valX, valY } = digitsTensors(loadDigitsOnce());
  const h = readHyperparameters(params as Record<string, number | string>);
  const optimizer = buildOptimizer(h);
  const model = buildModel(h, optimizer);
  try {
    await model.fit(trainX, trainY, { epochs, batchSize: h.batchSize, shuffle: true, verbose: 0 });
    return tf.tidy(() => (model.evaluate(valX, valY, { batchSize: 512 }) as tf.Scalar[])[1].dataSync()[0]);
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

let data: DigitsSplit | undefined;
function loadDigitsOnce(): DigitsSplit {
  data ??= loadDigits();
  return data;
}
