package org.jrave.play;

import javax.sound.sampled.SourceDataLine;

/**
 * A sound card's playback line as an {@link AudioOutput}: float to 16-bit PCM (clipped). An
 * underrun is counted when, after playback started, a block arrives to find the line's buffer
 * empty.
 */
public final class LineOutput implements AudioOutput {
  private final SourceDataLine line;
  private final int channels;
  private byte[] bytes = new byte[0];
  private boolean started;
  private volatile long underruns;

  public LineOutput(SourceDataLine line, int channels) {
    this.line = line;
    this.channels = channels;
  }

  @Override
  public void write(float[][] block) {
    int frames = block[0].length;
    int size = frames * channels * 2;
    if (bytes.length != size) {
      bytes = new byte[size];
    }
    for (int i = 0, b = 0; i < frames; i++) {
      for (int c = 0; c < channels; c++, b += 2) {
        float v = Math.max(-1f, Math.min(1f, block[c % block.length][i]));
        int s = Math.round(v * 32767f);
        bytes[b] = (byte) s;
        bytes[b + 1] = (byte) (s >> 8);
      }
    }
    if (started && line.available() >= line.getBufferSize()) {
      underruns++;
    }
    line.write(bytes, 0, size);
    if (!started) {
      line.start();
      started = true;
    }
  }

  @Override
  public long underruns() {
    return underruns;
  }

  @Override
  public int bufferedSamples() {
    return line.getBufferSize() / line.getFormat().getFrameSize();
  }

  @Override
  public String describe() {
    return "output line " + line.getLineInfo() + " (" + line.getFormat() + ", buffer " + bufferedSamples() + " samples)";
  }

  @Override
  public void close() {
    line.drain();
    line.stop();
    line.close();
  }
}
