package org.jrave.audio;

/**
 * What decoded audio should look like: a sampling rate and a channel count ({@code 0} keeps the
 * file's own) and how channels are mapped when the count differs.
 */
public record AudioTarget(int sampleRate, int channels, ChannelMode channelMode) {

  public AudioTarget {
    if (sampleRate < 0 || channels < 0) {
      throw new IllegalArgumentException("negative sampling rate or channel count");
    }
  }

  /** The file's own rate and channels: nothing resampled or mapped. */
  public static AudioTarget asIs() {
    return new AudioTarget(0, 0, ChannelMode.DOWNMIX);
  }

  public static AudioTarget of(int sampleRate, int channels) {
    return new AudioTarget(sampleRate, channels, ChannelMode.DOWNMIX);
  }
}
