package org.jrave.golden;

/** How far a port's tensor is from a golden one, in the golden README's measures. */
record TensorErrors(double maxAbs, double absmax, double errorL2, double goldenL2) {

  static TensorErrors of(float[] port, float[] golden) {
    if (port.length != golden.length) {
      throw new AssertionError("sizes differ: " + port.length + " vs " + golden.length);
    }
    double maxAbs = 0;
    double absmax = 0;
    double err2 = 0;
    double ref2 = 0;
    for (int i = 0; i < golden.length; i++) {
      double d = (double) port[i] - golden[i];
      maxAbs = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxAbs, Math.abs(d));
      absmax = Math.max(absmax, Math.abs(golden[i]));
      err2 += d * d;
      ref2 += (double) golden[i] * golden[i];
    }
    return new TensorErrors(maxAbs, absmax, Math.sqrt(err2), Math.sqrt(ref2));
  }

  double maxOverAbsmax() {
    return maxAbs / absmax;
  }

  double relativeL2() {
    return errorL2 / goldenL2;
  }
}
