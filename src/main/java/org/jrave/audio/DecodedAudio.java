package org.jrave.audio;

/** Planar float audio in [-1, 1]: {@code samples[channel][frame]}. */
public record DecodedAudio(int sampleRate, float[][] samples) {

  public int channels() {
    return samples.length;
  }

  public int frames() {
    return samples.length == 0 ? 0 : samples[0].length;
  }

  public double seconds() {
    return (double) frames() / sampleRate;
  }
}
