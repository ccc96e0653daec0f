/** The network and its checkpoint: model weights and optimizer state (Adam's moments, momentum
 *  buffers, the step counter) in one binary file, so a resumed trial continues the same optimisation
 *  rather than restarting it. tfjs's pure-JS CPU backend has no file I/O, hence the small format. */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CLASSES, FEATURES } from './digits-data';

export interface DigitsHyperparameters {
  learningRate: number;
  hiddenUnits: number;
  dropout: number;
  optimizer: 'adam' | 'sgd' | 'rmsprop';
  momentum: number;
  batchSize: number;
}

export function readHyperparameters(params: Record<string, number | string>): DigitsHyperparameters {
  const num = (name: string, fallback?: number): number => {
    const v = params[name] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`parameter ${name} must be a finite number, got ${String(v)}`);
    return v;
  };
  const optimizer = params.optimizer;
  if (optimizer !== 'adam' && optimizer !== 'sgd' && optimizer !== 'rmsprop') {
    throw new Error(`parameter optimizer must be adam, sgd or rmsprop, got ${String(optimizer)}`);
  }
  return {
    learningRate: num('learning_rate'),
    hiddenUnits: Math.round(num('hidden_units')),
    dropout: num('dropout'),
    optimizer,
    momentum: optimizer === 'sgd' ? num('momentum', 0) : 0,
    batchSize: Math.round(num('batch_size')),
  };
}

export function buildOptimizer(h: DigitsHyperparameters): tf.Optimizer {
  switch (h.optimizer) {
    case 'adam':
      return tf.train.adam(h.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(h.learningRate);
    case 'sgd':
      return h.momentum > 0 ? tf.train.momentum(h.learningRate, h.momentum) : tf.train.sgd(h.learningRate);
  }
}

export function buildModel(h: DigitsHyperparameters, optimizer: tf.Optimizer): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [FEATURES], units: h.hiddenUnits, activation: 'relu' }),
      tf.layers.dropout({ rate: h.dropout }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

interface TensorEntry {
  name: string;
  shape: number[];
}

/** What the trial's checkpoint manifest holds (the numbers are in weights.bin beside it). */
export interface WeightsManifest {
  model: TensorEntry[];
  optimizer: TensorEntry[];
}

const WEIGHTS_FILE = 'weights.bin';

export async function saveWeights(model: tf.LayersModel, optimizer: tf.Optimizer, dir: string): Promise<WeightsManifest> {
  const modelWeights = model.getWeights();
  const optimizerWeights = await optimizer.getWeights();
  const all = [...modelWeights, ...optimizerWeights.map((w) => w.tensor)];
  const arrays = await Promise.all(all.map((t) => t.data() as Promise<Float32Array>));
  const total = arrays.reduce((n, a) => n + a.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    flat.set(a, offset);
    offset += a.length;
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, WEIGHTS_FILE), Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength));
  return {
    model: modelWeights.map((t, i) => ({ name: `model/${i}`, shape: t.shape })),
    optimizer: optimizerWeights.map((w) => ({ name: w.name, shape: w.tensor.shape })),
  };
}

export async function restoreWeights(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  dir: string,
  manifest: WeightsManifest,
): Promise<void> {
  const bytes = await fs.readFile(path.join(dir, WEIGHTS_FILE));
  const flat = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let offset = 0;
  const next = (shape: number[]): tf.Tensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(flat.subarray(offset, offset + size), shape);
    offset += size;
    return t;
  };
  const modelTensors = manifest.model.map((e) => next(e.shape));
  model.setWeights(modelTensors);
  modelTensors.forEach((t) => t.dispose());
  if (manifest.optimizer.length > 0) {
    await optimizer.setWeights(manifest.optimizer.map((e) => ({ name: e.name, tensor: next(e.shape) })));
  }
  if (offset !== flat.length) throw new Error(`checkpoint ${dir}: ${flat.length} numbers, the manifest describes ${offset}`);
}
