package org.jrave.data;

/**
 * A non-lazy record: int16 samples, channel-major ({@code [ch0 frames | ch1 frames | ...]}).
 * Equality is by identity (arrays), so compare fields in tests.
 */
public record WaveformRecord(int channels, int sampleRate, short[] samples) implements DatasetRecord {
  public WaveformRecord {
    if (channels < 1 || samples.length % channels != 0) {
      throw new IllegalArgumentException(samples.length + " samples do not split into " + channels + " channels");
    }
  }

  public int frames() {
    return samples.length / channels;
  }
}
