package org.jrave.audio;

/**
 * What a streaming decode delivered: frames at the target rate, and the source's own frame count
 * and rate (for real-time and truncation accounting).
 */
public record DecodeResult(long frames, int sampleRate, int channels, long sourceFrames, int sourceRate) {
  public double seconds() {
    return (double) frames / sampleRate;
  }
}
