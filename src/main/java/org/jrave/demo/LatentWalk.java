package org.jrave.demo;

import org.jrave.engine.NoGrad;
import org.jrave.engine.TensorScope;
import org.jrave.inference.OfflineCodec;
import org.jrave.inference.StreamingCodec;
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
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block)) {
      LatentShaper shaper = new LatentShaper(model, model.config().latentSize(), 0f);
      p.setLatentEdit(shaper);
      p.setDeterministic(true);
      p.setNoise(NoiseSource.SILENT);
      return StreamingCodec.forward(p, input, false, b -> {
        double phase = Math.min(1.0, (double) b * block / n);
        shaper.control().setBias(0, (float) (REACH * spread * Math.sin(2 * Math.PI * phase)));
      });
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
