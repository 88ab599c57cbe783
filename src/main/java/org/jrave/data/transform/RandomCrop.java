package org.jrave.data.transform;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** A window of {@code length} frames at a uniform start in {@code [0, len - length]}, same for all channels. */
public record RandomCrop(int length) implements Transform {
  @Override
  public float[][] apply(float[][] audio, RandomGenerator rng) {
    int len = audio[0].length;
    int start = len > length ? rng.nextInt(len - length + 1) : 0;
    float[][] out = new float[audio.length][];
    for (int c = 0; c < audio.length; c++) {
      // Shorter items (lazy files shorter than a crop) are zero-padded.
      out[c] = Arrays.copyOfRange(audio[c], start, start + length);
    }
    return out;
  }
}
