package org.jrave.model;

import org.jrave.model.blocks.Layer;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.model.pqmf.Pqmf;
import org.jrave.model.v2.AdaInFactory;
import org.jrave.model.v2.EncoderV2;
import org.jrave.model.v2.GeneratorV2;

/** Builds a {@link RaveModel} (randomly initialised, eval mode) from a configuration. */
public final class RaveFactory {
  private RaveFactory() {}

  public static RaveModel build(RaveConfig c) {
    Pqmf pqmf = c.bands() > 1 ? new Pqmf(c.bands(), c.pqmfAttenuation(), c.padding()) : null;
    AdaInFactory adain = AdaInFactory.NONE;
    Layer inner = switch (c.encoder()) {
      case EncoderV2Config e -> new EncoderV2(e, c.padding(), adain);
    };
    LatentEncoder encoder = switch (c.latent()) {
      case LatentConfig.Variational v -> new VariationalEncoder(inner, c.latentSize(), v.beta());
      default -> throw new UnsupportedOperationException("latent type " + c.latent() + " is not available yet");
    };
    Decoder decoder = switch (c.decoder()) {
      case GeneratorV2Config g -> new GeneratorV2(g, c.padding(), adain);
    };
    RaveModel model = new RaveModel(c, pqmf, encoder, decoder);
    model.eval();
    return model;
  }
}
