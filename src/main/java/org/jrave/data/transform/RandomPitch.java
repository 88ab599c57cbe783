package org.jrave.data.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random pitch shift by resampling ({@code --rand-pitch LO,HI}, spec §6.4.2), before the crop: with
 * probability {@code p} (0.5), a factor {@code f} uniform in {@code [lo, min(hi, len / nSignal)]} is
 * drawn and the nearest ratio {@code a/b} from above among those with {@code 1 <= a, b < 20},
 * {@code a != b}, within {@code [lo, hi]}, is taken. The item is resampled by {@code b/a}: played
 * back at the dataset rate, its pitch (and tempo) is multiplied by {@code a/b} and it is
 * {@code a/b} times shorter. Factors above {@code len / nSignal} are never used, so a crop of
 * {@code nSignal} always fits; if no ratio does (an item too short for {@code lo}), the item is
 * left as it is.
 */
public final class RandomPitch implements Transform {
  /** A pitch factor as the fraction {@code num/den}. */
  record Ratio(int num, int den) {
    double value() {
      return (double) num / den;
    }
  }

  private final double lo;
  private final double hi;
  private final int nSignal;
  private final double p;
  private final List<Ratio> ratios;

  public RandomPitch(double lo, double hi, int nSignal, double p) {
    if (!(lo > 0 && lo <= hi)) {
      throw new IllegalArgumentException("pitch range must satisfy 0 < lo <= hi: " + lo + ", " + hi);
    }
    this.lo = lo;
    this.hi = hi;
    this.nSignal = nSignal;
    this.p = p;
    this.ratios = ratios(lo, hi);
    if (ratios.isEmpty()) {
      throw new IllegalArgumentException("no ratio a/b with 1 <= a, b < 20, a != b lies in [" + lo + ", " + hi + "]");
    }
  }

  public static RandomPitch reference(double lo, double hi, int nSignal) {
    return new RandomPitch(lo, hi, nSignal, 0.5);
  }

  /** The ratios a/b (1 <= a, b < 20, a != b) in [lo, hi], in increasing order, each value once. */
  static List<Ratio> ratios(double lo, double hi) {
    List<Ratio> out = new ArrayList<>();
    for (int a = 1; a < 20; a++) {
      for (int b = 1; b < 20; b++) {
        double v = (double) a / b;
        if (a != b && v >= lo && v <= hi && gcd(a, b) == 1) {
          out.add(new Ratio(a, b));
        }
      }
    }
    out.sort((x, y) -> Double.compare(x.value(), y.value()));
    return List.copyOf(out);
  }

  /** The ratio used for factor {@code f} under the length limit, or null for none. */
  Ratio choose(double f, double limit) {
    Ratio below = null;
    for (Ratio r : ratios) {
      if (r.value() > limit) {
        break;
      }
      if (r.value() >= f) {
        return r;
      }
      below = r;
    }
    return below;
  }

  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    if (rng.nextDouble() >= p) {
      return audio;
    }
    double limit = Math.min(hi, (double) audio[0].length / nSignal);
    if (limit < lo) {
      return audio;
    }
    double f = lo + rng.nextDouble() * (limit - lo);
    Ratio r = choose(f, limit);
    if (r == null) {
      return audio;
    }
    PolyphaseResampler resampler = new PolyphaseResampler(r.den(), r.num());
    float[][] out = new float[audio.length][];
    for (int c = 0; c < audio.length; c++) {
      out[c] = resampler.apply(audio[c]);
    }
    return out;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
