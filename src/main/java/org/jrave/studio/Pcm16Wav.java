package org.jrave.studio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Cuts a time range out of a 16-bit PCM WAV held in memory (the validation audio of an event file). */
final class Pcm16Wav {
  private Pcm16Wav() {}

  /** Frames {@code [start, start + frames)} of {@code wav} (clamped to what it holds) as a WAV of their own. */
  static byte[] slice(byte[] wav, long start, long frames) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).equals("WAVE")) {
      throw new IOException("not a WAV file");
    }
    int channels = 0;
    int sampleRate = 0;
    int bits = 0;
    int at = 12;
    while (at + 8 <= wav.length) {
      String id = tag(b, at);
      int size = b.getInt(at + 4);
      if (id.equals("fmt ")) {
        channels = b.getShort(at + 10);
        sampleRate = b.getInt(at + 12);
        bits = b.getShort(at + 22);
      } else if (id.equals("data")) {
        if (bits != 16 || channels < 1) {
          throw new IOException("not a 16-bit PCM WAV");
        }
        int frameBytes = 2 * channels;
        long total = Math.min(size, wav.length - at - 8) / frameBytes;
        long from = Math.max(0, Math.min(start, total));
        long n = Math.max(0, Math.min(frames, total - from));
        return withHeader(wav, at + 8 + (int) (from * frameBytes), (int) (n * frameBytes), channels, sampleRate);
      }
      at += 8 + size + (size & 1);
    }
    throw new IOException("a WAV file without audio data");
  }

  private static byte[] withHeader(byte[] wav, int offset, int bytes, int channels, int sampleRate) {
    ByteBuffer out = ByteBuffer.allocate(44 + bytes).order(ByteOrder.LITTLE_ENDIAN);
    out.put(ascii("RIFF")).putInt(36 + bytes).put(ascii("WAVEfmt ")).putInt(16).putShort((short) 1)
        .putShort((short) channels).putInt(sampleRate).putInt(sampleRate * channels * 2)
        .putShort((short) (channels * 2)).putShort((short) 16).put(ascii("data")).putInt(bytes);
    out.put(wav, offset, bytes);
    return out.array();
  }

  private static String tag(ByteBuffer b, int at) {
    byte[] t = new byte[4];
    b.get(at, t);
    return new String(t, StandardCharsets.US_ASCII);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
