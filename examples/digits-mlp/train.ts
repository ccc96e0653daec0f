/** The training function the optimize loop runs: one network per trial, trained epoch by epoch,
 *  reporting validation accuracy after each epoch and honouring PAUSE (checkpoint and return) and STOP
 *  (return the last accuracy). A trial handed back after a pause restores its checkpoint and continues
 *  at the next epoch. */
import * as tf from '@tensorflow/tfjs';
import type { TrainingFunction } from '../../apps/client-sdk/src';
import type { DigitsSplit } from './digits-data';
import { FEATURES } from './digits-data';
import { buildModel, buildOptimizer, readHyperparameters, restoreWeights, saveWeights, WeightsManifest } from './model';

export interface DigitsTrainingOptions {
  /** Epochs are steps 1..maxEpochs. */
  maxEpochs: number;
  /** Called after every epoch (for logs). */
  onEpoch?: (trialId: number, epoch: number, valAccuracy: number, valLoss: number) => void;
}

/** The pure-JS CPU backend, and no "install tfjs-node" banner (prod mode also skips debug checks). */
let backendReady: Promise<void> | undefined;
export function useCpuBackend(): Promise<void> {
  backendReady ??= (async () => {
    tf.enableProdMode();
    await tf.setBackend('cpu');
    await tf.ready();
  })();
  return backendReady;
}

export function digitsTrainingFunction(data: DigitsSplit, options: DigitsTrainingOptions): TrainingFunction {
  // Tensors shared by every trial, made once the backend is chosen.
  let tensors: { trainX: tf.Tensor2D; trainY: tf.Tensor1D; valX: tf.Tensor2D; valY: tf.Tensor1D } | undefined;

  return async (trial) => {
    await useCpuBackend();
    tensors ??= {
      trainX: tf.tensor2d(data.trainX, [data.trainY.length, FEATURES]),
      trainY: tf.tensor1d(data.trainY, 'float32'),
      valX: tf.tensor2d(data.valX, [data.valY.length, FEATURES]),
      valY: tf.tensor1d(data.valY, 'float32'),
    };
    const { trainX, trainY, valX, valY } = tensors;
    const h = readHyperparameters(trial.params);
    const optimizer = buildOptimizer(h);
    const model = buildModel(h, optimizer);
    try {
      let firstEpoch = 1;
      const checkpoint = await trial.loadCheckpoint<WeightsManifest>();
      if (checkpoint) {
        await restoreWeights(model, optimizer, trial.checkpointDir, checkpoint.state);
        firstEpoch = checkpoint.step + 1;
      }
      let valAccuracy = Number.NaN;
      for (let epoch = firstEpoch; epoch <= options.maxEpochs; epoch++) {
        await model.fit(trainX, trainY, { epochs: 1, batchSize: h.batchSize, shuffle: true, verbose: 0 });
        const [loss, accuracy] = tf.tidy(() => {
          const out = model.evaluate(valX, valY, { batchSize: 512 }) as tf.Scalar[];
          return out.map((t) => t.dataSync()[0]);
        });
        valAccuracy = accuracy;
        options.onEpoch?.(trial.id, epoch, accuracy, loss);
        const decision = await trial.report(epoch, { val_accuracy: accuracy });
        if (decision.shouldPause) {
          const manifest = await saveWeights(model, optimizer, trial.checkpointDir);
          await trial.saveCheckpoint(manifest, epoch);
          return undefined;
        }
        if (decision.shouldStop) break;
      }
      // Nothing trained in this run (a trial paused at its last epoch, handed back): the loop completes
      // it with its last reported measurement.
      return Number.isFinite(valAccuracy) ? { val_accuracy: valAccuracy } : undefined;
    } finally {
      model.dispose();
      optimizer.dispose();
    }
  };
}
