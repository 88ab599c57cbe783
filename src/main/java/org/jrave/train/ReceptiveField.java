package org.jrave.train;

import org.jrave.engine.Device;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;

/**
 * The model's receptive field in audio samples (spec 1.1, 5.5), measured as the reference does: in
 * eval mode, noise of length N (2^15, doubled while the field reaches an edge) goes through encode,
 * reparametrise and decode; the gradient of output sample {@code N/2} with respect to the input is
 * non-zero on {@code left} samples before the centre and {@code right} samples from it onwards.
 */
public record ReceptiveField(long left, long right) {

  public static final ReceptiveField UNKNOWN = new ReceptiveField(0, 0);

  public static ReceptiveField measure(RaveModel model) {
    boolean wasTraining = model.isTraining();
    model.eval();
    try {
      for (long n = 1L << 15; ; n *= 2) {
        ReceptiveField rf = measure(model, n);
        if ((rf.left < n / 2 && rf.right < n / 2) || n >= 1L << 22) {
          return rf;
        }
      }
    } finally {
      model.train(wasTraining);
    }
  }

  private static ReceptiveField measure(RaveModel model, long n) {
    try (TensorScope scope = new TensorScope()) {
      int channels = model.config().channels();
      Tensor x = Tensor.randn(Device.CPU, 1, channels, n).to(model.device()).requiresGrad(true);
      Tensor y = model.forward(x);
      y.select(0, 0).select(0, 0).select(0, n / 2).backward();
      float[] g = x.grad().select(0, 0).select(0, 0).toFloatArray();
      long left = 0;
      long right = 0;
      for (int i = 0; i < g.length; i++) {
        if (g[i] != 0f) {
          if (i < n / 2) {
            left++;
          } else {
            right++;
          }
        }
      }
      return new ReceptiveField(left, right);
    }
  }

  /**
   * Multiband samples to drop at each end of a training crop ({@code valid_signal_crop}):
   * {@code left div bands} at the start and {@code ceil(right / bands)} at the end. The reference
   * divides by all multiband channels (bands x audio channels), which is wrong for stereo by the
   * channel count (spec pitfall 3); jrave divides by the bands, identical for mono.
   */
  public long[] multibandCrop(int bands) {
    return new long[] {left / bands, (right + bands - 1) / bands};
  }
}
