package org.jrave.play;

import java.util.Arrays;

/**
 * A virtual playback device: a buffer drained by a {@link SampleClock} at the sample rate, started
 * with {@code ahead} blocks of silence queued (one: double buffering, as a sound card). When a block arrives after
 * the buffer ran dry, the gap is played as silence and counted as an underrun. What was "played",
 * gaps included, can be kept (up to a limit) and saved, so tests can listen to the loop.
 */
public final class VirtualOutput implements AudioOutput {
  private final SampleClock clock;
  private final int channels;
  private final int keepLimit;
  private float[][] played;
  private int kept;
  private long written = -1;
  private long underruns;
  private long gapSamples;
  private final int prefill;

  /**
   * @param blockFrames samples per block written
   * @param ahead blocks of silence queued before the first block (the output's latency, and how
   *     late a block may be before the device runs dry)
   * @param keepSeconds how much played audio to keep for {@link #played()}; 0 keeps none
   */
  public VirtualOutput(SampleClock clock, int channels, int blockFrames, int ahead, double keepSeconds) {
    if (ahead < 1 || blockFrames < 1) {
      throw new IllegalArgumentException("at least one block must be queued ahead, got " + ahead + " of " + blockFrames);
    }
    this.clock = clock;
    this.prefill = ahead * blockFrames;
    this.channels = channels;
    this.keepLimit = (int) Math.min(Integer.MAX_VALUE - 8, Math.round(keepSeconds * clock.sampleRate()));
    this.played = new float[channels][Math.min(keepLimit, 1 << 16)];
  }

  @Override
  public synchronized void write(float[][] block) throws InterruptedException {
    int frames = block[0].length;
    if (written < 0) {
      // Playback starts now, with the blocks of silence queued ahead of the first one.
      clock.start();
      written = clock.now() + prefill;
      keep(null, prefill);
    }
    long consumed = clock.now();
    if (consumed > written) {
      underruns++;
      long gap = consumed - written;
      gapSamples += gap;
      keep(null, (int) Math.min(gap, 1 << 20));
      written = consumed;
    }
    while (written + frames - clock.now() > prefill + frames) {
      wait(1);
    }
    keep(block, frames);
    written += frames;
  }

  /** Appends {@code frames} of {@code block} (null: silence) to what was played, up to the limit. */
  private void keep(float[][] block, int frames) {
    int n = Math.min(frames, keepLimit - kept);
    if (n <= 0) {
      return;
    }
    if (kept + n > played[0].length) {
      int size = (int) Math.min(keepLimit, Math.max((long) kept + n, 2L * played[0].length));
      for (int c = 0; c < channels; c++) {
        played[c] = Arrays.copyOf(played[c], size);
      }
    }
    if (block != null) {
      for (int c = 0; c < channels; c++) {
        System.arraycopy(block[c % block.length], 0, played[c], kept, n);
      }
    } // else: nothing past kept was ever written, it is silence already
    kept += n;
  }

  @Override
  public synchronized long underruns() {
    return underruns;
  }

  /** Silence inserted because audio came late, in samples. */
  public synchronized long gapSamples() {
    return gapSamples;
  }

  @Override
  public int bufferedSamples() {
    return prefill;
  }

  /** The audio played so far (up to the keep limit), silence and gaps included. */
  public synchronized float[][] played() {
    float[][] out = new float[channels][];
    for (int c = 0; c < channels; c++) {
      out[c] = Arrays.copyOf(played[c], kept);
    }
    return out;
  }

  @Override
  public String describe() {
    return "virtual output (clocked at " + clock.sampleRate() + " Hz)";
  }

  @Override
  public void close() {}
}
