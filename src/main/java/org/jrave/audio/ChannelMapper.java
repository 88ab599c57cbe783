package org.jrave.audio;

/** Maps planar float audio with {@code inputs} channels to {@code outputs} channels. */
public record ChannelMapper(ChannelMode mode, int inputs, int outputs) {

  public ChannelMapper {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("channel counts must be positive: " + inputs + " -> " + outputs);
    }
  }

  /** Writes {@code frames} mapped frames of {@code in} into {@code out} (arrays of at least that length). */
  public void map(float[][] in, int frames, float[][] out) {
    for (int j = 0; j < outputs; j++) {
      if (mode == ChannelMode.SELECT || inputs <= outputs) {
        System.arraycopy(in[j % inputs], 0, out[j], 0, frames);
      } else {
        mixInto(in, frames, j, out[j]);
      }
    }
  }

  /** Mean of the inputs assigned to output {@code j}: a mean, not a sum, so a mix can never clip. */
  private void mixInto(float[][] in, int frames, int j, float[] dst) {
    int count = 0;
    java.util.Arrays.fill(dst, 0, frames, 0f);
    for (int c = j; c < inputs; c += outputs) {
      float[] src = in[c];
      for (int i = 0; i < frames; i++) {
        dst[i] += src[i];
      }
      count++;
    }
    float scale = 1f / count;
    for (int i = 0; i < frames; i++) {
      dst[i] *= scale;
    }
  }
}
