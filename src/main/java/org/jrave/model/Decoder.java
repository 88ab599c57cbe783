package org.jrave.model;

import org.jrave.engine.Tensor;
import org.jrave.model.noise.NoiseSource;

/** A RAVE decoder: latent {@code [B, Z, F]} to multiband signal {@code [B, C * bands, T']}. */
public interface Decoder {
  Tensor decode(Tensor z, NoiseSource noise);

  /**
   * Prepares block-wise decoding for latents lagging the offline ones by {@code inputDelay}
   * frames; returns the lag of the multiband output in its samples.
   */
  int prepareStreaming(int inputDelay, org.jrave.streaming.StreamState state);

  /** Decodes one block of latent frames (after {@link #prepareStreaming}). */
  Tensor decodeStreaming(Tensor z, NoiseSource noise, org.jrave.streaming.StreamState state);

  /**
   * Describes block-wise decoding to the block engine: latent frames {@code z} to the multiband
   * signal (before the PQMF's synthesis).
   */
  org.jrave.streaming.graph.Signal lowerDecoder(org.jrave.streaming.graph.GraphBuilder g,
      org.jrave.streaming.graph.Signal z);

  /** Enters or leaves training phase 2 (only the v1 generator behaves differently). */
  default void setWarmedUp(boolean on) {}
}
