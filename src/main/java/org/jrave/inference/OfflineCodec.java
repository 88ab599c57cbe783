package org.jrave.inference;

import org.jrave.engine.Device;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.noise.NoiseSource;

/**
 * Whole-signal encoding and decoding of plain float arrays: pads the audio to a whole number of
 * latent frames, runs the model without gradients in one native scope, and crops the result back.
 * Batch 1; audio is {@code [channels][samples]}, latents {@code [dimensions][frames]}.
 */
public final class OfflineCodec {

  /** How the latent is taken from the encoder and how the decoder's noise is drawn. */
  public enum Mode {
    /** Sampled latent and random noise, as the reference's forward. */
    RANDOM,
    /** Posterior mean (or the deterministic latent) and silent noise. */
    DETERMINISTIC
  }

  private final RaveModel model;
  private final Device device;

  public OfflineCodec(RaveModel model, Device device) {
    this.model = model;
    this.device = device;
  }

  /** The latent of {@code audio}: {@code [latent][frames]}, frames = ceil(samples / ratio). */
  public float[][] encode(float[][] audio, Mode mode, boolean raw) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = toTensor(audio);
      Tensor rawLatent = model.encodeRaw(x);
      LatentEncoder enc = model.encoder();
      Tensor z = raw ? rawLatent
          : mode == Mode.DETERMINISTIC ? enc.deterministic(rawLatent) : enc.reparametrize(rawLatent).z();
      return split(z.squeeze(0), (int) z.size(1), (int) z.size(2));
    }
  }

  /** Audio from a latent {@code [latent][frames]}: {@code [channels][frames * ratio]}. */
  public float[][] decode(float[][] latent, Mode mode) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      int dims = latent.length;
      int frames = latent[0].length;
      float[] flat = new float[dims * frames];
      for (int d = 0; d < dims; d++) {
        System.arraycopy(latent[d], 0, flat, d * frames, frames);
      }
      Tensor z = Tensor.fromFloats(flat, 1, dims, frames).to(device);
      Tensor y = model.decode(z, mode == Mode.DETERMINISTIC ? NoiseSource.SILENT : NoiseSource.RANDOM);
      return split(y.squeeze(0), (int) y.size(1), (int) y.size(2));
    }
  }

  /** Encode then decode; the output has the input's length. */
  public float[][] forward(float[][] audio, Mode mode) {
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = toTensor(audio);
      Tensor raw = model.encodeRaw(x);
      Tensor y = mode == Mode.DETERMINISTIC
          ? model.decode(model.encoder().deterministic(raw), NoiseSource.SILENT)
          : model.decode(model.encoder().reparametrize(raw).z(), NoiseSource.RANDOM);
      float[][] out = split(y.squeeze(0), (int) y.size(1), (int) y.size(2));
      return crop(out, audio[0].length);
    }
  }

  /** Latent frames for a signal of {@code samples} samples. */
  public int framesFor(int samples) {
    return Math.max(1, (samples + model.ratio() - 1) / model.ratio());
  }

  private Tensor toTensor(float[][] audio) {
    int channels = audio.length;
    int samples = audio[0].length;
    int padded = framesFor(samples) * model.ratio();
    float[] flat = new float[channels * padded];
    for (int c = 0; c < channels; c++) {
      System.arraycopy(audio[c], 0, flat, c * padded, samples);
    }
    return Tensor.fromFloats(flat, 1, channels, padded).to(device);
  }

  private static float[][] split(Tensor rows, int count, int length) {
    float[] flat = rows.toFloatArray();
    float[][] out = new float[count][length];
    for (int i = 0; i < count; i++) {
      System.arraycopy(flat, i * length, out[i], 0, length);
    }
    return out;
  }

  private static float[][] crop(float[][] signal, int length) {
    float[][] out = new float[signal.length][];
    for (int i = 0; i < signal.length; i++) {
      out[i] = java.util.Arrays.copyOf(signal[i], length);
    }
    return out;
  }
}
