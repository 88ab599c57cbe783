package org.jrave.model.latent;

import org.jrave.engine.Parameter;
import org.jrave.engine.Draws;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.Layer;

/**
 * Discrete latent: the encoder output is coded by residual vector quantisation (at {@code rvq}),
 * the commitment loss is the regulariser, and noise-augmentation channels are appended for the
 * decoder. The encoder is not frozen in phase 2. The int64 buffer {@code enabled} switches the
 * quantisation; when off the latent passes unquantised and the regulariser is 0.
 *
 * <p>Choice: a new model starts with quantisation enabled, which is what the reference intends
 * ({@code warmup_quantize = -1}: quantise from the first step). The reference's callback never
 * actually fires, so its checkpoints carry {@code enabled = 0} and untrained codebooks; loading one
 * restores that state, and the model then behaves as it was trained.
 */
public final class DiscreteEncoder extends LatentEncoder {
  private final Parameter enabled;
  private final ResidualVectorQuantization rvq;
  private final NoiseAugmentation noise;
  private final int latentSize;

  public DiscreteEncoder(Layer inner, int latentSize, ResidualVectorQuantization rvq, int noiseAugmentation) {
    super(inner);
    this.latentSize = latentSize;
    this.enabled = addBuffer("enabled", Tensor.fromLongs(new long[] {1}, 1));
    this.rvq = addChild("rvq", rvq);
    this.noise = new NoiseAugmentation(noiseAugmentation);
  }

  @Override
  public int latentSize() {
    return latentSize;
  }

  public ResidualVectorQuantization rvq() {
    return rvq;
  }

  public boolean quantizationEnabled() {
    return enabled.value().toLongArray()[0] != 0;
  }

  public void setQuantizationEnabled(boolean on) {
    enabled.value().fillInPlace(on ? 1 : 0);
  }

  @Override
  protected boolean detachWhenWarmedUp() {
    return false;
  }

  @Override
  public Reparametrized reparametrize(Tensor raw, Draws draws) {
    if (!quantizationEnabled()) {
      return new Reparametrized(noise.append(raw, draws), Tensor.zeros(raw.device()));
    }
    ResidualVectorQuantization.Result q = rvq.quantize(raw);
    return new Reparametrized(noise.append(q.quantized(), draws), q.commitment());
  }

  /** The quantised latent (if enabled) with silent augmentation channels; codebooks unchanged. */
  @Override
  public Tensor deterministic(Tensor raw) {
    Tensor z = quantizationEnabled() ? rvq.decode(rvq.encode(raw)) : raw;
    return noise.appendSilent(z);
  }

  /** Code indices {@code [B, Q, T]} of a raw encoder output. */
  public Tensor encodeIndices(Tensor raw) {
    return rvq.encode(raw);
  }

  /** Decoder input from code indices: the summed codes plus random augmentation channels. */
  public Tensor decodeIndices(Tensor indices) {
    return noise.append(rvq.decode(indices), Draws.GLOBAL);
  }
}
