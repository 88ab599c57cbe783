package org.jrave.play;

import java.util.Arrays;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.noise.NoiseSource;
import org.jrave.streaming.RealtimeProcessor;

/**
 * Transforms a whole signal at the model's rate through encoder, {@link LatentShaper} and decoder,
 * offline (one pass) or through the real-time block engine ({@code block} samples at a time, the
 * stream's latency removed). The output has the input's length and channel count: a mono model
 * transforms every channel of a multichannel signal on its own; other channel mismatches are
 * mixed to the model's count and back.
 */
public final class Generator implements AudioTransform {

  private final RaveModel model;
  private final LatentShaper shaper;
  private final boolean deterministic;
  private final Integer block;
  private final Precision precision;

  /**
   * @param block samples per streaming block (a multiple of the model's ratio), or null for offline
   */
  public Generator(RaveModel model, LatentShaper shaper, boolean deterministic, Integer block) {
    this(model, shaper, deterministic, block, Precision.FP32);
  }

  /** @param precision the block engine's weights when streaming */
  public Generator(RaveModel model, LatentShaper shaper, boolean deterministic, Integer block, Precision precision) {
    if (block != null && (block <= 0 || block % model.ratio() != 0)) {
      throw new IllegalArgumentException("the block size must be a positive multiple of the model's ratio ("
          + model.ratio() + " samples), got " + block);
    }
    this.model = model;
    this.shaper = shaper;
    this.deterministic = deterministic;
    this.block = block;
    this.precision = precision;
  }

  @Override
  public float[][] transform(float[][] audio) {
    return AudioTransform.fitChannels(audio, model.config().channels(), this::run);
  }

  private float[][] run(float[][] audio) {
    return block == null ? offline(audio) : streamed(audio);
  }

  private NoiseSource noise() {
    return deterministic ? NoiseSource.SILENT : NoiseSource.RANDOM;
  }

  private float[][] offline(float[][] audio) {
    int channels = audio.length;
    int samples = audio[0].length;
    int ratio = model.ratio();
    int padded = Math.max(1, (samples + ratio - 1) / ratio) * ratio;
    float[] flat = new float[channels * padded];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(audio[c], 0, flat, c * padded, samples);
    }
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = Tensor.fromFloats(flat, 1, channels, padded).to(model.device());
      Tensor raw = model.encodeRaw(x);
      Tensor z = deterministic ? model.encoder().deterministic(raw) : model.encoder().reparametrize(raw).z();
      Tensor y = model.decode(shaper.apply(z), noise());
      float[] out = y.toFloatArray();
      int length = (int) y.size(2);
      float[][] result = new float[channels][];
      for (int c = 0; c < channels; c++) {
        result[c] = Arrays.copyOfRange(out, c * length, c * length + samples);
      }
      return result;
    }
  }

  private float[][] streamed(float[][] audio) {
    int channels = audio.length;
    int samples = audio[0].length;
    try (RealtimeProcessor p = RealtimeProcessor.forward(model, block, precision)) {
      p.setDeterministic(deterministic);
      p.setNoise(noise());
      p.setLatentEdit(shaper);
      int skip = p.latency();
      int blocks = (samples + skip + block - 1) / block;
      float[][] in = new float[channels][block];
      float[][] out = new float[channels][block];
      float[][] result = new float[channels][samples];
      for (int b = 0; b < blocks; b++) {
        int start = b * block;
        for (int c = 0; c < channels; c++) {
          Arrays.fill(in[c], 0f);
          int n = Math.max(0, Math.min(block, samples - start));
          System.arraycopy(audio[c], Math.min(start, samples), in[c], 0, n);
        }
        p.process(in, out);
        // Output sample i of this block is input sample start + i - latency.
        int from = start - skip;
        for (int c = 0; c < channels; c++) {
          int lo = Math.max(0, -from);
          int hi = Math.min(block, samples - from);
          if (hi > lo) {
            System.arraycopy(out[c], lo, result[c], from + lo, hi - lo);
          }
        }
      }
      return result;
    }
  }
}
