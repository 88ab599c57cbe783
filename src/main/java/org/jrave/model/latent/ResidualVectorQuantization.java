package org.jrave.model.latent;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.engine.Tensor;
import org.jrave.model.blocks.ModuleList;

/**
 * Residual vector quantisation ({@code layers.i}): each {@link VectorQuantization} codes what the
 * previous ones left over, and the latent is the sum of the chosen codes. Indices are
 * {@code [B, numQuantizers, T]}.
 */
public final class ResidualVectorQuantization extends Module {

  /** Sum of the codes (straight-through), indices {@code [B, Q, T]}, summed commitment losses. */
  public record Result(Tensor quantized, Tensor indices, Tensor commitment) {}

  private final ModuleList<VectorQuantization> layers;

  public ResidualVectorQuantization(int numQuantizers, CodebookSettings settings) {
    this.layers = addChild("layers", new ModuleList<>());
    for (int i = 0; i < numQuantizers; i++) {
      layers.add(new VectorQuantization(settings));
    }
  }

  public int numQuantizers() {
    return layers.size();
  }

  public VectorQuantization layer(int index) {
    return layers.get(index);
  }

  /** Quantises {@code z [B, d, T]} (initialising and, in training mode, updating the codebooks). */
  public Result quantize(Tensor z) {
    Tensor residual = z;
    Tensor sum = null;
    Tensor commitment = null;
    List<Tensor> indices = new ArrayList<>();
    for (VectorQuantization layer : layers.items()) {
      VectorQuantization.Quantized q = layer.quantize(residual);
      residual = residual.sub(q.quantized());
      sum = sum == null ? q.quantized() : sum.add(q.quantized());
      commitment = commitment == null ? q.commitment() : commitment.add(q.commitment());
      indices.add(q.indices());
    }
    return new Result(sum, Tensor.stack(indices, 1), commitment);
  }

  /** Code indices {@code [B, Q, T]} of {@code z [B, d, T]}; changes nothing. */
  public Tensor encode(Tensor z) {
    Tensor residual = z;
    List<Tensor> indices = new ArrayList<>();
    for (VectorQuantization layer : layers.items()) {
      Tensor index = layer.encode(residual);
      residual = residual.sub(layer.decode(index));
      indices.add(index);
    }
    return Tensor.stack(indices, 1);
  }

  /** The latent {@code [B, d, T]} for indices {@code [B, Q, T]}: the sum of the codes. */
  public Tensor decode(Tensor indices) {
    Tensor sum = null;
    for (int i = 0; i < layers.size(); i++) {
      Tensor codes = layers.get(i).decode(indices.select(1, i));
      sum = sum == null ? codes : sum.add(codes);
    }
    return sum;
  }
}
