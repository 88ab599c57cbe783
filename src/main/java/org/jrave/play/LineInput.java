package org.jrave.play;

import javax.sound.sampled.TargetDataLine;

/** A sound card's capture line as an {@link AudioInput} (16-bit PCM converted to float). */
public final class LineInput implements AudioInput {
  private final TargetDataLine line;
  private byte[] bytes = new byte[0];

  public LineInput(TargetDataLine line) {
    this.line = line;
    line.start();
  }

  @Override
  public void read(float[][] block) {
    int channels = block.length;
    int frames = block[0].length;
    int size = frames * channels * 2;
    if (bytes.length != size) {
      bytes = new byte[size];
    }
    int got = 0;
    while (got < size) {
      int n = line.read(bytes, got, size - got);
      if (n <= 0 && !line.isOpen()) {
        throw new IllegalStateException("the input device closed");
      }
      got += Math.max(n, 0);
    }
    for (int i = 0, b = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++, b += 2) {
        block[c][i] = (short) ((bytes[b] & 0xff) | (bytes[b + 1] << 8)) / 32768f;
      }
    }
  }

  @Override
  public String describe() {
    return "input line " + line.getLineInfo() + " (" + line.getFormat() + ")";
  }

  @Override
  public void close() {
    line.stop();
    line.close();
  }
}
