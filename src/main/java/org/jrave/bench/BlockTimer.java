package org.jrave.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.jrave.streaming.BlockProcessor;

/**
 * Times a {@link BlockProcessor} block after block on one stream of noise: every block is timed
 * alone, after untimed warm-up blocks; the Java allocation of the calling thread and the resident
 * memory are read around the timed blocks.
 */
public final class BlockTimer {

  /**
   * What one run measured.
   *
   * @param times per block, in seconds
   * @param allocPerBlock Java bytes allocated by the calling thread per block
   * @param residentDeltaKb resident memory at the end minus at the start of the timed blocks
   * @param residentSeries resident memory after each minute of audio (empty for runs under two minutes)
   * @param budgetMillis the block's duration at the processor's sample rate
   */
  public record Result(Stopwatch times, long allocPerBlock, long residentDeltaKb, String residentSeries,
      double budgetMillis) {

    public double medianMillis() {
      return times.median() * 1e3;
    }

    /** Blocks that took longer than their duration. */
    public long overBudget() {
      return Arrays.stream(times.seconds()).filter(s -> s * 1e3 > budgetMillis).count();
    }

    public int blocks() {
      return times.seconds().length;
    }
  }

  private BlockTimer() {}

  public static Result measure(BlockProcessor p, int warmup, int blocks) {
    float[][] in = new float[p.channels()][p.blockSize()];
    float[][] out = new float[p.channels()][p.outputLength()];
    Random random = new Random(1);
    for (float[] row : in) {
      for (int i = 0; i < row.length; i++) {
        row[i] = (float) (random.nextGaussian() * 0.1);
      }
    }
    for (int i = 0; i < warmup; i++) {
      p.process(in, out);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long alloc0 = threads.getCurrentThreadAllocatedBytes();
    long rss0 = residentKb();
    double[] seconds = new double[blocks];
    StringBuilder series = new StringBuilder();
    int perMinute = (int) (60.0 * p.sampleRate() / p.blockSize());
    for (int i = 0; i < blocks; i++) {
      long t0 = System.nanoTime();
      p.process(in, out);
      seconds[i] = (System.nanoTime() - t0) / 1e9;
      if (blocks >= 2 * perMinute && (i + 1) % perMinute == 0) {
        series.append(String.format(" %d:%dMB", (i + 1) / perMinute, residentKb() / 1024));
      }
    }
    long alloc = (threads.getCurrentThreadAllocatedBytes() - alloc0) / Math.max(1, blocks);
    long rss1 = residentKb();
    return new Result(new Stopwatch(seconds), alloc, rss1 - rss0, series.toString(),
        p.blockSize() * 1000.0 / p.sampleRate());
  }

  static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
