package org.jrave.audio;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: committed fixtures, and WAV files of any sample format written byte by byte. */
public final class TestAudio {
  public enum Format { U8, S16, S24, S32, F32 }

  private TestAudio() {}

  public static Path fixture(String name) {
    try {
      return Path.of(TestAudio.class.getResource("/audio/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing fixture " + name, e);
    }
  }

  public static float[][] sine(int channels, int frames, int rate, double hz, double amp) {
    float[][] x = new float[channels][frames];
    for (int c = 0; c < channels; c++) {
      for (int i = 0; i < frames; i++) {
        x[c][i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate + c * Math.PI / 2));
      }
    }
    return x;
  }

  /** A canonical RIFF/WAVE file (format 1 = PCM, 3 = IEEE float), interleaved little-endian samples. */
  public static Path writeWav(Path path, float[][] x, int rate, Format format) throws IOException {
    int channels = x.length;
    int frames = x[0].length;
    int bytes = switch (format) { case U8 -> 1; case S16 -> 2; case S24 -> 3; case S32, F32 -> 4; };
    int dataSize = frames * channels * bytes;
    ByteBuffer b = ByteBuffer.allocate(44 + dataSize).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataSize).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) (format == Format.F32 ? 3 : 1)).putShort((short) channels)
        .putInt(rate).putInt(rate * channels * bytes).putShort((short) (channels * bytes)).putShort((short) (bytes * 8));
    b.put("data".getBytes()).putInt(dataSize);
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        double v = Math.max(-1, Math.min(1, x[c][i]));
        switch (format) {
          case U8 -> b.put((byte) (Math.round(v * 127) + 128));
          case S16 -> b.putShort((short) Math.round(v * 32767));
          case S24 -> {
            int s = (int) Math.round(v * 8388607);
            b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
          }
          case S32 -> b.putInt((int) Math.round(v * 2147483647.0));
          case F32 -> b.putFloat((float) v);
        }
      }
    }
    Files.write(path, b.array());
    return path;
  }

  /** A 16-bit AIFF file (big-endian samples, 80-bit extended sampling rate). */
  public static Path writeAiff(Path path, float[][] x, int rate) throws IOException {
    int channels = x.length;
    int frames = x[0].length;
    int dataSize = frames * channels * 2;
    ByteBuffer b = ByteBuffer.allocate(54 + dataSize).order(ByteOrder.BIG_ENDIAN);
    b.put("FORM".getBytes()).putInt(46 + dataSize).put("AIFF".getBytes());
    b.put("COMM".getBytes()).putInt(18).putShort((short) channels).putInt(frames).putShort((short) 16);
    // IEEE 754 80-bit extended: sign+exponent (bias 16383), then a 64-bit mantissa with explicit 1.
    int exponent = 63 - Long.numberOfLeadingZeros(rate);
    b.putShort((short) (16383 + exponent)).putLong((long) rate << (63 - exponent));
    b.put("SSND".getBytes()).putInt(8 + dataSize).putInt(0).putInt(0);
    for (int i = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++) {
        b.putShort((short) Math.round(Math.max(-1, Math.min(1, x[c][i])) * 32767));
      }
    }
    Files.write(path, b.array());
    return path;
  }
}
