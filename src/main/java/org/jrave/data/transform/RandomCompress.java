package org.jrave.data.transform;

import java.util.random.RandomGenerator;

/**
 * With probability {@code p}, SoX-style {@code compand attack,release 6:-80,threshold,g} with
 * {@code g} uniform in [minDb, maxDb] (the reference's RandomCompress; defaults: threshold −40,
 * g in [−60, 0], attack = release = 0.1 s, p = 0.8). The transfer points are (−80, −80),
 * (threshold, g) and (0, 0).
 */
public record RandomCompress(double thresholdDb, double minDb, double maxDb, double attack, double release, double p, int sampleRate)
    implements Transform {

  public static RandomCompress reference(int sampleRate) {
    return new RandomCompress(-40, -60, 0, 0.1, 0.1, 0.8, sampleRate);
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    if (rng.nextDouble() >= p) {
      return audio;
    }
    double g = minDb + rng.nextDouble() * (maxDb - minDb);
    new Compander(attack, release, 6, new double[] {-80, -80, thresholdDb, g}, 0, 0).process(audio, sampleRate);
    return audio;
  }
}
