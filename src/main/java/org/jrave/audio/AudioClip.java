package org.jrave.audio;

import java.util.Arrays;

/**
 * Multi-channel audio as planar float samples, nominally in [-1, 1).
 *
 * <p>The clip takes ownership of the arrays (no copy, since clips can be hundreds of megabytes);
 * callers must not modify them afterwards.
 *
 * @param sampleRate frames per second, positive
 * @param channels one array per channel, all of the same length
 */
public record AudioClip(int sampleRate, float[][] channels) {

  public AudioClip {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }
    if (channels == null || channels.length == 0) {
      throw new IllegalArgumentException("an audio clip needs at least one channel");
    }
    int frames = channels[0].length;
    for (int c = 1; c < channels.length; c++) {
      if (channels[c].length != frames) {
        throw new IllegalArgumentException(
            "channel " + c + " has " + channels[c].length + " samples, channel 0 has " + frames);
      }
    }
  }

  public int channelCount() {
    return channels.length;
  }

  public int frameCount() {
    return channels[0].length;
  }

  public double durationSeconds() {
    return (double) frameCount() / sampleRate;
  }

  public float[] channel(int index) {
    return channels[index];
  }

  /** Content equality: same rate and bit-identical samples. */
  @Override
  public boolean equals(Object o) {
    return o instanceof AudioClip other
        && sampleRate == other.sampleRate
        && Arrays.deepEquals(channels, other.channels);
  }

  @Override
  public int hashCode() {
    return 31 * sampleRate + Arrays.deepHashCode(channels);
  }

  @Override
  public String toString() {
    return "AudioClip[" + sampleRate + " Hz, " + channelCount() + " ch, " + frameCount() + " frames]";
  }
}
