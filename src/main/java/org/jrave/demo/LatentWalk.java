package org.jrave.demo;

import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.inference.OfflineCodec;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.play.LatentShaper;
import org.jrave.streaming.RealtimeProcessor;

/**
 * A clip played through the real-time engine while its first latent PCA dimension (the one that
 * explains most of the model's latent variance) is swept, as a musician would turn a knob live: the
 * bias follows one slow sine over the clip, reaching three standard deviations of that dimension
 * (measured on the clip itself) either way.
 */
public final class LatentWalk {
  private static final double REACH = 3;

  private LatentWalk() {}

  /** The walked clip, as long as {@code input} ({@code [channels][samples]}). */
  public static float[][] render(RaveModel model, float[][] input) {
    double spread = firstComponentSpread(model, input);
    int block = model.ratio();
    int n = input[0].length;
    int channels = input.length;
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      LatentShaper shaper = new LatentShaper(model, model.config().latentSize(), 0f);
      p.setLatentEdit(shaper);
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      int latency = p.latency();
      int blocks = (n + latency + block - 1) / block;
      float[][] out = new float[channels][n];
      float[][] in = new float[channels][block];
      float[][] y = new float[channels][p.outputLength()];
      for (int b = 0; b < blocks; b++) {
        for (int c = 0; c < channels; c++) {
          java.util.Arrays.fill(in[c], 0f);
          int from = b * block;
          if (from < n) {
            System.arraycopy(input[c], from, in[c], 0, Math.min(block, n - from));
          }
        }
        double phase = Math.min(1.0, (double) b * block / n);
        shaper.control().setBias(0, (float) (REACH * spread * Math.sin(2 * Math.PI * phase)));
        p.process(in, y);
        for (int c = 0; c < channels; c++) {
          // Output sample t of this block is input sample (b * block + t - latency).
          for (int t = 0; t < block; t++) {
            long at = (long) b * block + t - latency;
            if (at >= 0 && at < n) {
              out[c][(int) at] = y[c][t];
            }
          }
        }
      }
      return out;
    }
  }

  /** Standard deviation of the clip's latent along the first PCA direction. */
  static double firstComponentSpread(RaveModel model, float[][] input) {
    float[][] z = new OfflineCodec(model, org.jrave.engine.Device.CPU)
        .encode(input, OfflineCodec.Mode.DETERMINISTIC, false);
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      float[] direction = model.latentPca().select(0, 0).toFloatArray();
      float[] mean = model.latentMean().toFloatArray();
      int frames = z[0].length;
      double sum = 0;
      double sumSquares = 0;
      for (int f = 0; f < frames; f++) {
        double v = 0;
        for (int d = 0; d < direction.length; d++) {
          v += direction[d] * (z[d][f] - mean[d]);
        }
        sum += v;
        sumSquares += v * v;
      }
      double m = sum / frames;
      return Math.sqrt(Math.max(sumSquares / frames - m * m, 1e-12));
    }
  }
}
