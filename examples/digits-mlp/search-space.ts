/** The study the demo runs: a one-hidden-layer network on the digits data. */
import type { Algorithm, EarlyStoppingMode, StudyConfig } from '../../apps/client-sdk/src';

export interface DigitsStudyOptions {
  maxEpochs: number;
  maxTrials: number;
  algorithm?: Algorithm;
  earlyStopping?: EarlyStoppingMode;
  /** early_stopping.min_trials (0 or absent: the server's default warm-up of 5 trials). */
  minTrials?: number;
  seed?: number;
}

export function digitsStudyConfig(options: DigitsStudyOptions): StudyConfig {
  return {
    parameters: [
      // Learning rates matter by their order of magnitude.
      { name: 'learning_rate', type: 'DOUBLE', min: 1e-4, max: 0.3, scale: 'LOG' },
      { name: 'hidden_units', type: 'INTEGER', min: 8, max: 128, scale: 'LOG' },
      { name: 'dropout', type: 'DOUBLE', min: 0, max: 0.6 },
      {
        name: 'optimizer',
        type: 'CATEGORICAL',
        categories: ['adam', 'sgd', 'rmsprop'],
        // Momentum exists only for plain SGD.
        children: [{ parentCategories: ['sgd'], parameter: { name: 'momentum', type: 'DOUBLE', min: 0, max: 0.95 } }],
      },
      { name: 'batch_size', type: 'DISCRETE', values: [16, 32, 64, 128] },
    ],
    metrics: [{ name: 'val_accuracy', goal: 'MAXIMIZE' }],
    algorithm: options.algorithm,
    earlyStopping:
      options.earlyStopping && options.earlyStopping !== 'NONE'
        ? { mode: options.earlyStopping, maxStep: options.maxEpochs, minSteps: 2, ...(options.minTrials ? { minTrials: options.minTrials } : {}) }
        : undefined,
    problemDescription:
      'A one-hidden-layer ReLU network (TensorFlow.js, CPU) classifying the UCI 8x8 handwritten digits ' +
      `(1,438 training and 359 validation images, 10 classes), trained for up to ${options.maxEpochs} epochs; ` +
      'the metric is validation accuracy after the last epoch.',
    maxTrials: options.maxTrials,
    seed: options.seed,
  };
}
