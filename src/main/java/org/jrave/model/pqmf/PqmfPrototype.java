package org.jrave.model.pqmf;

import java.util.function.DoubleUnaryOperator;

/**
 * The PQMF prototype low-pass: the Kaiser-window filter whose cutoff minimises the
 * near-perfect-reconstruction criterion of Lin and Vaidyanathan, i.e. the largest autocorrelation
 * of the prototype at lags that are multiples of {@code 2M}.
 *
 * <p>The search is a one-dimensional Nelder-Mead simplex started at {@code 1/M} radians with both
 * tolerances 1e-4 and at most 200 iterations and evaluations, which reproduces the reference
 * prototype exactly (16 bands, 100 dB: cutoff 0.10751953125, 377 taps).
 */
public record PqmfPrototype(double cutoff, double[] taps) {

  public static PqmfPrototype design(int bands, double attenuation) {
    DoubleUnaryOperator loss = wc -> reconstructionLoss(KaiserLowpass.design(wc, attenuation), bands);
    double wc = nelderMead1d(loss, 1.0 / bands);
    return new PqmfPrototype(wc, KaiserLowpass.design(wc, attenuation));
  }

  /** {@code max_{j >= 1} |r(2 M j)|} for the autocorrelation r of h. */
  static double reconstructionLoss(double[] h, int bands) {
    int n = h.length;
    double worst = 0;
    for (int lag = 2 * bands; lag <= n - 1; lag += 2 * bands) {
      double r = 0;
      for (int i = 0; i + lag < n; i++) {
        r += h[i] * h[i + lag];
      }
      worst = Math.max(worst, Math.abs(r));
    }
    return worst;
  }

  /** Nelder-Mead in one dimension with the standard coefficients (1, 2, 0.5, 0.5). */
  static double nelderMead1d(DoubleUnaryOperator f, double x0) {
    final double tol = 1e-4;
    final int maxIter = 200;
    final int maxEval = 200;
    double[] x = {x0, 1.05 * x0};
    double[] fx = {f.applyAsDouble(x[0]), f.applyAsDouble(x[1])};
    int evals = 2;
    int iterations = 1;
    sort(x, fx);
    while (evals < maxEval && iterations < maxIter) {
      if (Math.abs(x[1] - x[0]) <= tol && Math.abs(fx[1] - fx[0]) <= tol) {
        break;
      }
      double best = x[0];
      double xr = 2 * best - x[1];
      double fr = f.applyAsDouble(xr);
      evals++;
      boolean shrink = false;
      if (fr < fx[0]) {
        double xe = 3 * best - 2 * x[1];
        double fe = f.applyAsDouble(xe);
        evals++;
        if (fe < fr) {
          x[1] = xe;
          fx[1] = fe;
        } else {
          x[1] = xr;
          fx[1] = fr;
        }
      } else if (fr < fx[1]) {
        double xc = 1.5 * best - 0.5 * x[1];
        double fc = f.applyAsDouble(xc);
        evals++;
        if (fc <= fr) {
          x[1] = xc;
          fx[1] = fc;
        } else {
          shrink = true;
        }
      } else {
        double xcc = 0.5 * best + 0.5 * x[1];
        double fcc = f.applyAsDouble(xcc);
        evals++;
        if (fcc < fx[1]) {
          x[1] = xcc;
          fx[1] = fcc;
        } else {
          shrink = true;
        }
      }
      if (shrink) {
        x[1] = x[0] + 0.5 * (x[1] - x[0]);
        fx[1] = f.applyAsDouble(x[1]);
        evals++;
      }
      sort(x, fx);
      iterations++;
    }
    return x[0];
  }

  private static void sort(double[] x, double[] fx) {
    if (fx[1] < fx[0]) {
      double t = x[0];
      x[0] = x[1];
      x[1] = t;
      t = fx[0];
      fx[0] = fx[1];
      fx[1] = t;
    }
  }
}
