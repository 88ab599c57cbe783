package org.jrave.bench;

import java.util.Arrays;

/** Timing statistics of repeated runs: median and percentiles in seconds. */
public record Stopwatch(double[] seconds) {

  public static Stopwatch time(int warmup, int runs, Runnable task) {
    for (int i = 0; i < warmup; i++) {
      task.run();
    }
    double[] s = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      task.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    return new Stopwatch(s);
  }

  public double median() {
    return percentile(50);
  }

  public double percentile(double p) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double rank = p / 100.0 * (sorted.length - 1);
    int lo = (int) Math.floor(rank);
    int hi = (int) Math.ceil(rank);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
  }

  public double max() {
    return Arrays.stream(seconds).max().orElse(Double.NaN);
  }
}
