package org.jrave.play;

/**
 * Counters of a live run: blocks the device played, blocks the model processed, dropouts (blocks
 * not ready when the device needed them, played as silence), output underruns (the device itself
 * ran dry), and the model's processing time per block (percentiles, milliseconds) against the
 * block's duration (the budget).
 */
public record LiveStats(long blocks, long processed, long dropouts, long underruns, double medianMillis,
    double p90Millis, double p99Millis, double maxMillis, double budgetMillis, double seconds) {

  /** Share of the real-time budget the median block uses. */
  public double load() {
    return medianMillis / budgetMillis;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%d blocks in %.1f s: %d processed, %d dropout(s), %d underrun(s); block time median %.2f ms, p90 %.2f, "
            + "p99 %.2f, max %.2f ms of %.2f ms (%.0f%% load)",
        blocks, seconds, processed, dropouts, underruns, medianMillis, p90Millis, p99Millis, maxMillis, budgetMillis,
        100 * load());
  }
}
