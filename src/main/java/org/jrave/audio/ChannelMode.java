package org.jrave.audio;

/** How a file's channels become the requested number of channels. */
public enum ChannelMode {
  /**
   * Mix down when the file has more channels than requested (mono = mean of all channels; N &gt; 1
   * = mean of the input channels {@code c} with {@code c mod N == j} for output {@code j}), keep
   * them when the counts match, cycle them when it has fewer (mono becomes dual mono).
   */
  DOWNMIX,
  /**
   * The reference's rule: output channel {@code j} is input channel {@code j mod inputs}; extra
   * input channels are ignored (a stereo file made mono keeps only its left channel).
   */
  SELECT
}
