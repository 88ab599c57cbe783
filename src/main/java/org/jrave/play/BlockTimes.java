package org.jrave.play;

/**
 * Processing time per block over a whole live run, as a histogram of 10 µs bins up to one second
 * (longer blocks share the last bin; the maximum is kept exactly): percentiles of hours of audio
 * without allocating per block. Written by one thread; others may read while it runs (a figure
 * read mid-run may lag by a block).
 */
final class BlockTimes {
  private static final long BIN_NANOS = 10_000;
  private final int[] counts = new int[100_000];
  private volatile long count;
  private volatile long maxNanos;

  void add(long nanos) {
    int bin = (int) Math.min(counts.length - 1, Math.max(0, nanos / BIN_NANOS));
    counts[bin]++;
    if (nanos > maxNanos) {
      maxNanos = nanos;
    }
    count = count + 1;
  }

  long count() {
    return count;
  }

  double maxMillis() {
    return maxNanos / 1e6;
  }

  /** The time {@code p} percent of the blocks took at most (the middle of its bin), in ms; 0 before any. */
  double percentileMillis(double p) {
    long n = count;
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    long seen = 0;
    for (int bin = 0; bin < counts.length - 1; bin++) {
      seen += counts[bin];
      if (seen >= rank) {
        return Math.min((bin + 0.5) * BIN_NANOS / 1e6, maxMillis());
      }
    }
    return maxMillis();
  }
}
