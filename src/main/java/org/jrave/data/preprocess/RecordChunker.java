package org.jrave.data.preprocess;

import java.util.function.Consumer;
import org.jrave.audio.SampleSink;

/**
 * Cuts a stream of float audio into int16 records of a fixed number of frames (channel-major, as
 * stored), handing each full record to {@code onRecord}; what is left at the end is the tail.
 */
final class RecordChunker implements SampleSink {
  private final int channels;
  private final int frames;
  private final Consumer<short[]> onRecord;
  private short[] current;
  private int filled;

  RecordChunker(int channels, int frames, Consumer<short[]> onRecord) {
    this.channels = channels;
    this.frames = frames;
    this.onRecord = onRecord;
    this.current = new short[channels * frames];
  }

  @Override
  public void accept(float[][] planar, int n) {
    int offset = 0;
    while (offset < n) {
      int take = Math.min(n - offset, frames - filled);
      for (int c = 0; c < channels; c++) {
        float[] src = planar[c];
        int base = c * frames + filled;
        for (int i = 0; i < take; i++) {
          current[base + i] = toInt16(src[offset + i]);
        }
      }
      filled += take;
      offset += take;
      if (filled == frames) {
        onRecord.accept(current);
        current = new short[channels * frames];
        filled = 0;
      }
    }
  }

  /** The frames after the last full record, channel-major with {@link #tailFrames()} per channel. */
  short[] tail() {
    short[] out = new short[channels * filled];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(current, c * frames, out, c * filled, filled);
    }
    return out;
  }

  int tailFrames() {
    return filled;
  }

  /** Scale by 2^15, round, clip: the conversion FFmpeg applies when asked for s16 output. */
  static short toInt16(float x) {
    double v = Math.rint(x * 32768.0);
    return (short) (v > 32767 ? 32767 : (v < -32768 ? -32768 : v));
  }
}
