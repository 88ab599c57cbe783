package org.jrave.data.transform;

/**
 * A compressor/expander with the documented semantics of SoX's {@code compand} effect (no Java
 * library offers one, so it is written here from the SoX manual, not from SoX's code):
 * <ul>
 *   <li>a per-channel level follower: the level moves toward |x| with time constant {@code attack}
 *       when |x| is above it and {@code decay} when below (one-pole, coefficient 1 − e^(−1/(sr·t)));
 *   <li>a transfer function of (in dB, out dB) points, the point (0, 0) assumed; levels below the
 *       first point keep that point's gain; between points the curve is linear in dB, and each joint
 *       is rounded over {@code softKneeDb} by a quadratic blend of the two segments;
 *   <li>each sample is multiplied by (out level / in level) of its channel's current level, times
 *       the extra {@code gainDb}; the level starts at {@code initialDb}.
 * </ul>
 * Immutable; {@link #process} keeps its state in locals.
 */
public final class Compander {
  private final double attack;
  private final double decay;
  private final double[] inDb;
  private final double[] outDb;
  private final double softKneeDb;
  private final double gainDb;
  private final double initialDb;

  /** {@code points} = in1, out1, in2, out2, ... (dB), strictly increasing inputs. */
  public Compander(double attack, double decay, double softKneeDb, double[] points, double gainDb, double initialDb) {
    if (points.length % 2 != 0) {
      throw new IllegalArgumentException("points must be (in, out) pairs");
    }
    int n = points.length / 2;
    boolean hasZero = n > 0 && points[points.length - 2] == 0;
    int total = hasZero ? n : n + 1;
    this.inDb = new double[total];
    this.outDb = new double[total];
    for (int i = 0; i < n; i++) {
      inDb[i] = points[2 * i];
      outDb[i] = points[2 * i + 1];
      if (i > 0 && inDb[i] <= inDb[i - 1]) {
        throw new IllegalArgumentException("transfer function inputs must increase strictly");
      }
    }
    if (!hasZero) {
      inDb[n] = 0;
      outDb[n] = 0;
    }
    this.attack = attack;
    this.decay = decay;
    this.softKneeDb = softKneeDb;
    this.gainDb = gainDb;
    this.initialDb = initialDb;
  }

  /** Output level in dB for an input level in dB. */
  public double transferDb(double x) {
    double y = sharp(x);
    double r = softKneeDb / 2;
    if (r <= 0) {
      return y;
    }
    for (int i = 0; i < inDb.length; i++) {
      double k = inDb[i];
      if (Math.abs(x - k) < r && i > 0 && i < inDb.length - 1) {
        // Quadratic (C1) blend between the slopes left and right of the joint.
        double s1 = slope(i - 1);
        double s2 = slope(i);
        double t = x - k + r;
        return sharp(k - r) + s1 * t + (s2 - s1) * t * t / (4 * r);
      }
    }
    return y;
  }

  private double slope(int segment) {
    return (outDb[segment + 1] - outDb[segment]) / (inDb[segment + 1] - inDb[segment]);
  }

  private double sharp(double x) {
    if (x <= inDb[0]) {
      return x + (outDb[0] - inDb[0]);
    }
    for (int i = 1; i < inDb.length; i++) {
      if (x <= inDb[i]) {
        return outDb[i - 1] + slope(i - 1) * (x - inDb[i - 1]);
      }
    }
    int last = inDb.length - 1;
    return x + (outDb[last] - inDb[last]);
  }

  /** Compands every channel in place. */
  public void process(float[][] audio, int sampleRate) {
    double ka = attack > 1.0 / sampleRate ? 1 - Math.exp(-1 / (sampleRate * attack)) : 1;
    double kd = decay > 1.0 / sampleRate ? 1 - Math.exp(-1 / (sampleRate * decay)) : 1;
    double extra = Math.pow(10, gainDb / 20);
    for (float[] x : audio) {
      double level = Math.pow(10, initialDb / 20);
      for (int n = 0; n < x.length; n++) {
        double a = Math.abs(x[n]);
        level += (a - level) * (a > level ? ka : kd);
        double gain = extra;
        if (level > 1e-10) {
          double inLevelDb = 20 * Math.log10(level);
          gain *= Math.pow(10, (transferDb(inLevelDb) - inLevelDb) / 20);
        }
        x[n] = (float) (x[n] * gain);
      }
    }
  }
}
