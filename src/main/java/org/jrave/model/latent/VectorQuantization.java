package org.jrave.model.latent;

import org.jrave.engine.Module;
import org.jrave.engine.Tensor;

/**
 * Quantises every latent frame (a {@code d}-vector of {@code [B, d, T]}) to its nearest code of a
 * {@link EuclideanCodebook} (at {@code _codebook}). The output passes gradients straight through to
 * the input; the commitment loss pulls the input towards its codes.
 */
public final class VectorQuantization extends Module {

  /**
   * @param quantized the codes, {@code [B, d, T]} (straight-through: gradient flows to the input)
   * @param indices code indices {@code [B, T]}
   * @param commitment {@code weight * mean((code - input)^2)}, gradient to the input only
   */
  public record Quantized(Tensor quantized, Tensor indices, Tensor commitment) {}

  private final EuclideanCodebook codebook;

  public VectorQuantization(CodebookSettings settings) {
    this.codebook = addChild("_codebook", new EuclideanCodebook(settings));
  }

  public EuclideanCodebook codebook() {
    return codebook;
  }

  /**
   * The reference's forward: seeds the codebook from these frames if it was never initialised,
   * quantises with the current codes, then (training mode only) updates the codebook.
   */
  public Quantized quantize(Tensor x) {
    Tensor vectors = WassersteinEncoder.frames(x);
    if (!codebook.initialized()) {
      codebook.initialize(vectors);
    }
    Tensor assignment = codebook.nearest(vectors);
    Tensor codes = toLatent(codebook.lookup(assignment), x);
    if (isTraining()) {
      codebook.learn(vectors, assignment);
    }
    Tensor difference = codes.sub(x);
    Tensor commitment = difference.square().mean().mul(codebook.settings().commitmentWeight());
    Tensor straightThrough = x.add(difference.detach());
    return new Quantized(straightThrough, assignment.reshape(x.size(0), x.size(2)), commitment);
  }

  /** Code indices {@code [B, T]} of the frames of {@code x [B, d, T]}; changes nothing. */
  public Tensor encode(Tensor x) {
    return codebook.nearest(WassersteinEncoder.frames(x)).reshape(x.size(0), x.size(2));
  }

  /** Code vectors {@code [B, d, T]} for indices {@code [B, T]}. */
  public Tensor decode(Tensor indices) {
    return codebook.lookup(indices).permute(0, 2, 1);
  }

  /** {@code [B * T, d]} rows back to {@code [B, d, T]} shaped like {@code like}. */
  private static Tensor toLatent(Tensor rows, Tensor like) {
    return rows.reshape(like.size(0), like.size(2), like.size(1)).permute(0, 2, 1);
  }
}
