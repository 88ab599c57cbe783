package org.jrave.data;

/**
 * A batch of audio as one C-order float array {@code [batch][channels][length]}: what the training
 * loop turns into a tensor (see {@link BatchAdapter}).
 */
public record AudioBatch(float[] samples, int batch, int channels, int length) {
  public AudioBatch {
    if (samples.length != (long) batch * channels * length) {
      throw new IllegalArgumentException("samples do not match " + batch + "x" + channels + "x" + length);
    }
  }

  public float get(int b, int c, int i) {
    return samples[(b * channels + c) * length + i];
  }
}
