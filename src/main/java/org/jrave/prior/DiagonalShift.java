package org.jrave.prior;

/**
 * The prior's diagonal shift (spec 9.1) on {@code [n][T]} latents: channel {@code c} is advanced by
 * {@code n - 1 - c} frames, so when the network predicts the next frame of the last channel it has
 * already seen later frames of the lower channels. Both directions shorten the signal by
 * {@code n - 1} frames.
 */
public final class DiagonalShift {
  private DiagonalShift() {}

  public static float[][] forward(float[][] z) {
    int n = z.length;
    int t = z[0].length - (n - 1);
    if (t < 1) {
      throw new IllegalArgumentException("need at least " + n + " frames for a diagonal shift of " + n + " channels");
    }
    float[][] out = new float[n][t];
    for (int c = 0; c < n; c++) {
      System.arraycopy(z[c], n - 1 - c, out[c], 0, t);
    }
    return out;
  }

  public static float[][] inverse(float[][] z) {
    int n = z.length;
    int t = z[0].length - (n - 1);
    if (t < 1) {
      throw new IllegalArgumentException("need at least " + n + " frames to undo a diagonal shift of " + n + " channels");
    }
    float[][] out = new float[n][t];
    for (int c = 0; c < n; c++) {
      System.arraycopy(z[c], c, out[c], 0, t);
    }
    return out;
  }
}
