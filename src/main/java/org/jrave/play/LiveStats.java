package org.jrave.play;

/**
 * Counters of a live run: blocks processed, output underruns, blocks whose processing took longer
 * than their duration, and processing time per block (mean and worst, milliseconds) against the
 * block's duration (the budget).
 */
public record LiveStats(long blocks, long underruns, long lateBlocks, double meanMillis, double maxMillis,
    double budgetMillis, double seconds) {

  /** Share of the real-time budget used on average. */
  public double load() {
    return meanMillis / budgetMillis;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "%d blocks in %.1f s, %d underrun(s), %d late block(s), block time mean %.2f ms / max %.2f ms of %.2f ms (%.0f%% load)",
        blocks, seconds, underruns, lateBlocks, meanMillis, maxMillis, budgetMillis, 100 * load());
  }
}
