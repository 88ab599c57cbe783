package org.jrave.model;

import org.jrave.engine.Tensor;
import org.jrave.model.noise.NoiseSource;

/** A RAVE decoder: latent {@code [B, Z, F]} to multiband signal {@code [B, C * bands, T']}. */
public interface Decoder {
  Tensor decode(Tensor z, NoiseSource noise);

  /** The lag of the multiband output stream (its samples) for latents lagging by {@code inputLag} frames. */
  int streamLag(int inputLag);

  /**
   * Describes block-wise decoding to the block engine: latent frames {@code z} to the multiband
   * signal (before the PQMF's synthesis).
   */
  org.jrave.streaming.graph.Signal lowerDecoder(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal z);

  /** Enters or leaves training phase 2 (only the v1 generator behaves differently). */
  default void setWarmedUp(boolean on) {}
}
