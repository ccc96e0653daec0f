/** Records a second set of real learning curves, with a shape unlike the MLP's: a linear softmax
 *  classifier trained by plain SGD with step-size decay (lr_t = lr₀ / (1 + decay·epoch)) on the vendored
 *  digits data (examples/data/digits.csv, features scaled to [0, 1]). Convex, so curves are smooth; a
 *  large lr₀ with little decay bounces or diverges, a small one crawls and crosses the fast ones late.
 *  Written to bench/results/early-stopping.sgd-curves.json (same format as the MLP's), replayed by the
 *  benchmark. Deterministic given the seed (our own shuffling and initialisation).
 *
 *  Run: npm run build && node dist/bench/src/early-stopping-record-sgd.js [configs=80] [epochs=50] */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@hpo/space';
import type { RecordedCurves } from './early-stopping-record-curves';

const repoRoot = join(__dirname, '..', '..', '..');
const CLASSES = 10;

function loadDigits(): { x: Float64Array[]; y: number[] } {
  const rows = readFileSync(join(repoRoot, 'examples', 'data', 'digits.csv'), 'utf8').trim().split('\n');
  const x: Float64Array[] = [];
  const y: number[] = [];
  for (const row of rows) {
    const v = row.split(',').map(Number);
    x.push(Float64Array.from(v.slice(0, 64), (p) => p / 16));
    y.push(v[64]);
  }
  return { x, y };
}

/** Mean cross-entropy and error rate of weights w (CLASSES × 65, bias last) on a set. */
function evaluate(w: Float64Array, x: Float64Array[], y: number[]): { loss: number; error: number } {
  let loss = 0;
  let wrong = 0;
  const z = new Float64Array(CLASSES);
  for (let i = 0; i < x.length; i++) {
    logits(w, x[i], z);
    let max = -Infinity;
    let arg = 0;
    for (let c = 0; c < CLASSES; c++) if (z[c] > max) (max = z[c]), (arg = c);
    let sum = 0;
    for (let c = 0; c < CLASSES; c++) sum += Math.exp(z[c] - max);
    loss += -(z[y[i]] - max - Math.log(sum));
    if (arg !== y[i]) wrong++;
  }
  return { loss: loss / x.length, error: wrong / x.length };
}

function logits(w: Float64Array, xi: Float64Array, z: Float64Array): void {
  for (let c = 0; c < CLASSES; c++) {
    let s = w[c * 65 + 64];
    for (let j = 0; j < 64; j++) s += w[c * 65 + j] * xi[j];
    z[c] = s;
  }
}

function main(): void {
  const configs = Number(process.argv[2] ?? 80);
  const epochs = Number(process.argv[3] ?? 50);
  const data = loadDigits();
  const rng = new Rng(2024);
  const order = data.x.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.integer(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const split = Math.floor(order.length * 0.7);
  const pick = (idx: number[]) => ({ x: idx.map((i) => data.x[i]), y: idx.map((i) => data.y[i]) });
  const train = pick(order.slice(0, split));
  const valid = pick(order.slice(split));
  const out: RecordedCurves = { dataset: 'digits (softmax regression, SGD with step-size decay)', trainSize: train.x.length, validationSize: valid.x.length, epochs, curves: [] };
  for (let k = 0; k < configs; k++) {
    const learningRate = Math.exp(Math.log(1e-3) + rng.uniform() * (Math.log(30) - Math.log(1e-3)));
    const decay = Math.exp(Math.log(1e-3) + rng.uniform() * (Math.log(3) - Math.log(1e-3)));
    const l2 = Math.exp(Math.log(1e-6) + rng.uniform() * (Math.log(1e-1) - Math.log(1e-6)));
    const batchSize = [8, 32, 128][rng.integer(3)];
    const w = Float64Array.from({ length: CLASSES * 65 }, () => 0.01 * rng.normal());
    const z = new Float64Array(CLASSES);
    const grad = new Float64Array(w.length);
    const idx = train.x.map((_, i) => i);
    const loss: (number | null)[] = [];
    const error: (number | null)[] = [];
    let failed = false;
    for (let e = 0; e < epochs; e++) {
      const lr = learningRate / (1 + decay * e);
      for (let i = idx.length - 1; i > 0; i--) {
        const j = rng.integer(i + 1);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      for (let b = 0; b < idx.length && !failed; b += batchSize) {
        grad.fill(0);
        const end = Math.min(idx.length, b + batchSize);
        for (let n = b; n < end; n++) {
          const xi = train.x[idx[n]];
          logits(w, xi, z);
          let max = -Infinity;
          for (let c = 0; c < CLASSES; c++) max = Math.max(max, z[c]);
          let sum = 0;
          for (let c = 0; c < CLASSES; c++) sum += Math.exp(z[c] - max);
          for (let c = 0; c < CLASSES; c++) {
            const g = Math.exp(z[c] - max) / sum - (c === train.y[idx[n]] ? 1 : 0);
            for (let j = 0; j < 64; j++) grad[c * 65 + j] += g * xi[j];
            grad[c * 65 + 64] += g;
          }
        }
        const m = end - b;
        for (let p = 0; p < w.length; p++) w[p] -= lr * (grad[p] / m + ((p % 65) < 64 ? l2 * w[p] : 0));
      }
      const ev = failed ? { loss: NaN, error: NaN } : evaluate(w, valid.x, valid.y);
      if (!Number.isFinite(ev.loss)) failed = true;
      loss.push(failed ? null : ev.loss);
      error.push(failed ? null : ev.error);
    }
    out.curves.push({ configuration: { learningRate, hiddenUnits: decay, l2, batchSize, optimizer: 'sgd' }, validationLoss: loss, validationError: error });
  }
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'early-stopping.sgd-curves.json'), JSON.stringify(out));
  process.stdout.write(`recorded ${configs} configurations x ${epochs} epochs\n`);
}

main();
