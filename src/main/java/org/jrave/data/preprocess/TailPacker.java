package org.jrave.data.preprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs the tails of files (and whole files shorter than one record) back to back into shared
 * records, so no audio is dropped; only the very last shared record is padded with silence.
 */
final class TailPacker {
  private final int channels;
  private final int frames;
  private short[] current;
  private int filled;

  TailPacker(int channels, int frames) {
    this.channels = channels;
    this.frames = frames;
    this.current = new short[channels * frames];
  }

  /** Adds a channel-major tail of {@code n} frames; returns the records it completed. */
  List<short[]> add(short[] tail, int n) {
    List<short[]> done = new ArrayList<>();
    int offset = 0;
    while (offset < n) {
      int take = Math.min(n - offset, frames - filled);
      for (int c = 0; c < channels; c++) {
        System.arraycopy(tail, c * n + offset, current, c * frames + filled, take);
      }
      filled += take;
      offset += take;
      if (filled == frames) {
        done.add(current);
        current = new short[channels * frames];
        filled = 0;
      }
    }
    return done;
  }

  boolean isEmpty() {
    return filled == 0;
  }

  /** Frames of silence {@link #finish()} will add. */
  int paddingFrames() {
    return filled == 0 ? 0 : frames - filled;
  }

  /** The last, partly filled record padded with zeros, or null if nothing is pending. */
  short[] finish() {
    if (filled == 0) {
      return null;
    }
    short[] out = current;
    current = new short[channels * frames];
    filled = 0;
    return out;
  }
}
