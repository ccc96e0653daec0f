/** Loads the vendored UCI handwritten-digits data (examples/data/digits.csv, see its README for the
 *  licence) and splits it into fixed training and validation sets. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FEATURES = 64;
export const CLASSES = 10;

export interface DigitsSplit {
  /** Row-major [n, 64], pixels scaled from 0..16 to 0..1. */
  trainX: Float32Array;
  trainY: Int32Array;
  valX: Float32Array;
  valY: Int32Array;
}

/** examples/data/digits.csv, found from src or dist. */
export function digitsCsvPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'examples', 'data', 'digits.csv');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error('examples/data/digits.csv not found above ' + __dirname);
  }
}

export function parseDigitsCsv(text: string): { x: Float32Array; y: Int32Array } {
  const rows = text.split('\n').filter((line) => line.trim() !== '');
  const x = new Float32Array(rows.length * FEATURES);
  const y = new Int32Array(rows.length);
  rows.forEach((line, i) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== FEATURES + 1 || cells.some((v) => !Number.isFinite(v))) {
      throw new Error(`digits.csv line ${i + 1}: expected ${FEATURES + 1} numbers`);
    }
    for (let j = 0; j < FEATURES; j++) x[i * FEATURES + j] = cells[j] / 16;
    y[i] = cells[FEATURES];
  });
  return { x, y };
}

/** A fixed shuffle (mulberry32, seed 42) so every trial sees the same split: trials differ only in
 *  their hyperparameters. */
export function splitDigits(x: Float32Array, y: Int32Array, validationFraction = 0.2, seed = 42): DigitsSplit {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  const random = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nVal = Math.round(n * validationFraction);
  const take = (idx: number[]): { x: Float32Array; y: Int32Array } => {
    const outX = new Float32Array(idx.length * FEATURES);
    const outY = new Int32Array(idx.length);
    idx.forEach((row, k) => {
      outX.set(x.subarray(row * FEATURES, (row + 1) * FEATURES), k * FEATURES);
      outY[k] = y[row];
    });
    return { x: outX, y: outY };
  };
  const val = take(order.slice(0, nVal));
  const train = take(order.slice(nVal));
  return { trainX: train.x, trainY: train.y, valX: val.x, valY: val.y };
}

export function loadDigits(csvPath = digitsCsvPath()): DigitsSplit {
  const { x, y } = parseDigitsCsv(fs.readFileSync(csvPath, 'utf8'));
  return splitDigits(x, y);
}
