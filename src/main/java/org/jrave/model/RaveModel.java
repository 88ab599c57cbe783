package org.jrave.model;

import org.jrave.engine.Module;
import org.jrave.engine.Parameter;
import org.jrave.engine.Precision;
import org.jrave.engine.Tensor;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.noise.NoiseSource;
import org.jrave.model.pqmf.Pqmf;

/**
 * A RAVE model: PQMF analysis, encoder, latent step, decoder, PQMF synthesis. Shapes are
 * {@code [batch, channels, time]}; multichannel audio is split per channel by the filter bank and
 * the bands of all channels are stacked (channel-major). With {@link #setOfflinePrecision} most
 * convolutions run in bfloat16 while inputs and outputs stay float32. The latent PCA ({@code latent_pca},
 * {@code latent_mean}, {@code fidelity}) fitted in validation travels with the model.
 */
public final class RaveModel extends Module {

  private final RaveConfig config;
  private final Pqmf pqmf;
  private final LatentEncoder encoder;
  private final Decoder decoder;
  private final Parameter latentPca;
  private final Parameter latentMean;
  private final Parameter fidelity;

  RaveModel(RaveConfig config, Pqmf pqmf, LatentEncoder encoder, Decoder decoder) {
    this.config = config;
    int z = config.latentSize();
    this.latentPca = addBuffer("latent_pca", identity(z));
    this.latentMean = addBuffer("latent_mean", Tensor.zeros(z));
    this.fidelity = addBuffer("fidelity", Tensor.zeros(z));
    this.pqmf = pqmf == null ? null : addChild("pqmf", pqmf);
    this.encoder = addChild("encoder", encoder);
    this.decoder = addChild("decoder", (Module & Decoder) decoder);
  }

  private static Tensor identity(int n) {
    float[] eye = new float[n * n];
    for (int i = 0; i < n; i++) {
      eye[i * n + i] = 1f;
    }
    return Tensor.fromFloats(eye, n, n);
  }

  public RaveConfig config() {
    return config;
  }

  public Pqmf pqmf() {
    return pqmf;
  }

  public LatentEncoder encoder() {
    return encoder;
  }

  public Decoder decoder() {
    return decoder;
  }

  public Tensor latentPca() {
    return latentPca.value();
  }

  public Tensor latentMean() {
    return latentMean.value();
  }

  public Tensor fidelity() {
    return fidelity.value();
  }

  /**
   * The latent in the PCA basis fitted in validation: {@code latent_pca (z - latent_mean)} per
   * frame. Keeping the first rows gives the truncated latent that exported models expose.
   */
  public Tensor projectLatent(Tensor z) {
    Tensor centred = z.sub(latentMean.value().reshape(1, -1, 1));
    return latentPca.value().matmul(centred);
  }

  /** The inverse of {@link #projectLatent}: {@code latent_pca^T zp + latent_mean}. */
  public Tensor unprojectLatent(Tensor projected) {
    return latentPca.value().transpose(0, 1).matmul(projected).add(latentMean.value().reshape(1, -1, 1));
  }

  /** Audio samples per latent frame. */
  public int ratio() {
    return config.ratio();
  }

  /** {@code [B, C, T] -> [B, C * bands, T / bands]}. */
  public Tensor analyze(Tensor audio) {
    if (pqmf == null || pqmf.bands() == 1) {
      return audio;
    }
    long b = audio.size(0);
    long c = audio.size(1);
    long t = audio.size(2);
    Tensor bands = pqmf.analyze(audio.reshape(b * c, 1, t));
    return bands.reshape(b, c * pqmf.bands(), t / pqmf.bands());
  }

  /** {@code [B, C * bands, T'] -> [B, C, T' * bands]}. */
  public Tensor synthesize(Tensor multiband) {
    if (pqmf == null || pqmf.bands() == 1) {
      return multiband;
    }
    long b = multiband.size(0);
    long c = multiband.size(1) / pqmf.bands();
    long t = multiband.size(2);
    Tensor audio = pqmf.synthesize(multiband.reshape(b * c, pqmf.bands(), t));
    return audio.reshape(b, c, t * pqmf.bands());
  }

  /**
   * The number format of offline inference: float32 (the default), or bfloat16 convolutions below
   * the multiband signal's rate ({@link MultibandRate}). Weights are converted once, here; inputs
   * and outputs stay float32. Not for training or the streaming engine.
   */
  public RaveModel setOfflinePrecision(Precision precision) {
    MultibandRate.apply(this, precision);
    return this;
  }

  /**
   * The encoder's raw output ({@code [mean | scale]} for a VAE), in the audio's number format
   * (float32 at any precision; float64 for a model and audio converted to float64).
   */
  public Tensor encodeRaw(Tensor audio) {
    return encoder.forward(analyze(audio)).toTypeOf(audio);
  }

  /**
   * Decoder output before the synthesis filter bank, in the latent's number format: float32 at any
   * precision (the filter bank runs in float32: it is cheap, and its long kernels sum many terms),
   * float64 for a model and latent converted to float64.
   */
  public Tensor decodeMultiband(Tensor z, NoiseSource noise) {
    return decoder.decode(z, noise).toTypeOf(z);
  }

  /** Audio from a latent, {@code [B, Z, F] -> [B, C, F * ratio]}. */
  public Tensor decode(Tensor z, NoiseSource noise) {
    return synthesize(decodeMultiband(z, noise));
  }

  public Tensor decode(Tensor z) {
    return decode(z, NoiseSource.RANDOM);
  }

  /** The reference's forward: decode(reparametrize(encode(x))). */
  public Tensor forward(Tensor audio) {
    return decode(encoder.reparametrize(encodeRaw(audio)).z());
  }

  /** Deterministic forward: posterior mean and silent noise. */
  public Tensor forwardDeterministic(Tensor audio) {
    return decode(encoder.deterministic(encodeRaw(audio)), NoiseSource.SILENT);
  }
}
