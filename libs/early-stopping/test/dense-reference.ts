/** A direct dense GP on all points of all curves together (the O((Σ n_i)³) computation the block
 *  structure avoids), used as the reference the efficient posterior must match. */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { ConfigurationKernel } from '../src/configuration-kernel';
import { FreezeThawHyperparameters, LearningCurve, curveCovariance } from '../src/freeze-thaw-posterior';

export interface DenseReference {
  asymptoteMean: number[];
  asymptoteCovariance: Matrix;
  logMarginalLikelihood: number;
  predictCurve(index: number, step: number): { mean: number; variance: number };
  predictNew(x: number[], step: number): { mean: number; variance: number };
}

export function denseReference(curves: LearningCurve[], h: FreezeThawHyperparameters, kernel: ConfigurationKernel): DenseReference {
  const points: { curve: number; t: number; y: number; w: number }[] = [];
  curves.forEach((c, n) => c.steps.forEach((t, i) => points.push({ curve: n, t, y: c.values[i], w: c.weights?.[i] ?? 1 })));
  const kx = (a: number, b: number): number => (a === b ? h.asymptoteVariance : h.asymptoteVariance * kernel.correlation(curves[a].x, curves[b].x, h.kernelParameters));
  const P = points.length;
  const sigma = new Matrix(P, P);
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < P; j++) {
      const a = points[i];
      const b = points[j];
      let v = kx(a.curve, b.curve);
      if (a.curve === b.curve) v += curveCovariance(a.t, b.t, h);
      if (i === j) v += h.noiseVariance / a.w;
      sigma.set(i, j, v);
    }
  }
  const chol = new CholeskyDecomposition(sigma);
  const r = Matrix.columnVector(points.map((p) => p.y - h.asymptoteMean));
  const alpha = chol.solve(r);
  let logDet = 0;
  const L = chol.lowerTriangularMatrix;
  for (let i = 0; i < P; i++) logDet += 2 * Math.log(L.get(i, i));
  const logMarginalLikelihood = -0.5 * r.transpose().mmul(alpha).get(0, 0) - 0.5 * logDet - 0.5 * P * Math.log(2 * Math.PI);

  const N = curves.length;
  // cov(f_n, y_p) = K_x[n, curve(p)].
  const cross = new Matrix(N, P);
  for (let n = 0; n < N; n++) for (let p = 0; p < P; p++) cross.set(n, p, kx(n, points[p].curve));
  const meanF = cross.mmul(alpha).to1DArray().map((v) => v + h.asymptoteMean);
  const kxM = new Matrix(N, N);
  for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) kxM.set(a, b, kx(a, b));
  const covF = kxM.sub(cross.mmul(chol.solve(cross.transpose())));

  const predictFromCross = (kStar: number[], prior: number) => {
    const k = Matrix.columnVector(kStar);
    return {
      mean: h.asymptoteMean + k.transpose().mmul(alpha).get(0, 0),
      variance: prior - k.transpose().mmul(chol.solve(k)).get(0, 0),
    };
  };
  return {
    asymptoteMean: meanF,
    asymptoteCovariance: covF,
    logMarginalLikelihood,
    predictCurve: (index, step) =>
      predictFromCross(
        points.map((p) => kx(index, p.curve) + (p.curve === index ? curveCovariance(step, p.t, h) : 0)),
        h.asymptoteVariance + curveCovariance(step, step, h),
      ),
    predictNew: (x, step) =>
      predictFromCross(
        points.map((p) => h.asymptoteVariance * kernel.correlation(x, curves[p.curve].x, h.kernelParameters)),
        h.asymptoteVariance + curveCovariance(step, step, h),
      ),
  };
}
