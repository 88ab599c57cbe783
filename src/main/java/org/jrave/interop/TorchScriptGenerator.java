package org.jrave.interop;

import java.util.Arrays;
import org.jrave.play.AudioTransform;

/**
 * {@code jrave generate} with an nn~ TorchScript model: each signal goes through the model's
 * {@code forward}, in one call or in blocks (removing the latency the model declares). Every signal
 * runs on a fresh copy of the loaded model, so the state of a streaming export never leaks from one
 * file (or channel) into the next. Channel counts are adapted as for native models: a mono model
 * processes each channel, others get a down- or up-mix.
 */
public final class TorchScriptGenerator implements AudioTransform {

  private final TorchScriptModel model;
  private final Integer block;
  private final int channels;

  /** @param block samples per call (a multiple of the model's block step), or null for one call */
  public TorchScriptGenerator(TorchScriptModel model, Integer block) {
    TorchScriptModel.MethodSpec forward = model.requireMethod("forward");
    int step = model.blockStep(forward);
    if (block != null && (block <= 0 || block % step != 0)) {
      throw new IllegalArgumentException("the block size must be a positive multiple of " + step
          + " samples for " + model.file().getFileName() + ", got " + block);
    }
    this.model = model;
    this.block = block;
    this.channels = forward.inChannels();
  }

  @Override
  public float[][] transform(float[][] audio) {
    return AudioTransform.fitChannels(audio, channels, this::run);
  }

  private float[][] run(float[][] audio) {
    try (TorchScriptModel fresh = model.copy()) {
      return block == null ? crop(fresh.run("forward", audio), audio[0].length) : streamed(fresh, audio);
    }
  }

  private float[][] streamed(TorchScriptModel m, float[][] audio) {
    int samples = audio[0].length;
    int skip = m.scalar("forward_latency").filter(Long.class::isInstance).map(v -> (int) (long) (Long) v).orElse(0);
    int blocks = (samples + skip + block - 1) / block;
    float[][] in = new float[audio.length][block];
    float[][] result = null;
    for (int b = 0; b < blocks; b++) {
      int start = b * block;
      for (int c = 0; c < audio.length; c++) {
        Arrays.fill(in[c], 0f);
        int n = Math.max(0, Math.min(block, samples - start));
        System.arraycopy(audio[c], Math.min(start, samples), in[c], 0, n);
      }
      float[][] out = m.process("forward", in);
      if (result == null) {
        result = new float[out.length][samples];
      }
      // Output sample i of this block is input sample start + i - latency.
      int from = start - skip;
      for (int c = 0; c < out.length; c++) {
        int lo = Math.max(0, -from);
        int hi = Math.min(block, samples - from);
        if (hi > lo) {
          System.arraycopy(out[c], lo, result[c], from + lo, hi - lo);
        }
      }
    }
    return result;
  }

  private static float[][] crop(float[][] signal, int length) {
    float[][] out = new float[signal.length][];
    for (int c = 0; c < signal.length; c++) {
      out[c] = Arrays.copyOf(signal[c], length);
    }
    return out;
  }
}
