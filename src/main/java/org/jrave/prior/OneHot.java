package org.jrave.prior;

import org.jrave.engine.Tensor;

/** Class indices {@code [B][L][T]} to the prior's one-hot input {@code [B, L*R, T]} (channel l*R + class). */
final class OneHot {
  private OneHot() {}

  static Tensor of(int[][][] classes, int resolution) {
    int batch = classes.length;
    int dims = classes[0].length;
    int frames = classes[0][0].length;
    float[] flat = new float[batch * dims * resolution * frames];
    for (int b = 0; b < batch; b++) {
      for (int d = 0; d < dims; d++) {
        for (int t = 0; t < frames; t++) {
          int channel = d * resolution + classes[b][d][t];
          flat[((b * dims * resolution) + channel) * frames + t] = 1f;
        }
      }
    }
    return Tensor.fromFloats(flat, batch, (long) dims * resolution, frames);
  }
}
