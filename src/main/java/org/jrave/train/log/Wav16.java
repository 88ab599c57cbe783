package org.jrave.train.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** A 16-bit PCM WAV in memory (TensorBoard's audio plugin plays WAV). Samples are clipped to [-1, 1]. */
final class Wav16 {
  private Wav16() {}

  static byte[] encode(float[] interleaved, int channels, int sampleRate) {
    int dataBytes = interleaved.length * 2;
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + dataBytes);
    b.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
        .putShort((short) channels).putInt(sampleRate).putInt(sampleRate * channels * 2)
        .putShort((short) (channels * 2)).putShort((short) 16);
    b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(dataBytes);
    for (float s : interleaved) {
      b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * 32767f));
    }
    return b.array();
  }
}
