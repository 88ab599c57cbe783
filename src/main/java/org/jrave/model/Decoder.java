package org.jrave.model;

import org.jrave.engine.Tensor;
import org.jrave.model.noise.NoiseSource;

/** A RAVE decoder: latent {@code [B, Z, F]} to multiband signal {@code [B, C * bands, T']}. */
public interface Decoder {
  Tensor decode(Tensor z, NoiseSource noise);

  /** Enters or leaves training phase 2 (only the v1 generator behaves differently). */
  default void setWarmedUp(boolean on) {}
}
