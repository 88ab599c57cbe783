package org.jrave.model;

import org.jrave.model.blocks.AdaptiveInstanceNormalization;
import org.jrave.model.blocks.Layer;
import org.jrave.model.config.EncoderV1Config;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.latent.CodebookSettings;
import org.jrave.model.latent.DiscreteEncoder;
import org.jrave.model.latent.LatentEncoder;
import org.jrave.model.latent.ResidualVectorQuantization;
import org.jrave.model.latent.SphericalEncoder;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.model.latent.WassersteinEncoder;
import org.jrave.model.pqmf.Pqmf;
import org.jrave.model.v1.EncoderV1;
import org.jrave.model.v1.GeneratorV1;
import org.jrave.model.v2.AdaInFactory;
import org.jrave.model.v2.EncoderV2;
import org.jrave.model.v2.GeneratorV2;

/** Builds a {@link RaveModel} (randomly initialised, eval mode) from a configuration. */
public final class RaveFactory {
  private RaveFactory() {}

  public static RaveModel build(RaveConfig c) {
    Pqmf pqmf = c.bands() > 1 ? new Pqmf(c.bands(), c.pqmfAttenuation(), c.padding()) : null;
    // Only consulted by configurations with AdaIN enabled.
    AdaInFactory adain = AdaptiveInstanceNormalization::new;
    Layer inner = switch (c.encoder()) {
      case EncoderV1Config e -> new EncoderV1(e, c.padding());
      case EncoderV2Config e -> new EncoderV2(e, c.padding(), adain);
    };
    int z = c.latentSize();
    LatentEncoder encoder = switch (c.latent()) {
      case LatentConfig.Variational v -> new VariationalEncoder(inner, z, v.beta());
      case LatentConfig.Wasserstein w -> new WassersteinEncoder(inner, z, w.noiseAugmentation());
      case LatentConfig.Discrete d -> new DiscreteEncoder(inner, z,
          new ResidualVectorQuantization(d.numQuantizers(), CodebookSettings.rave(d.codebookSize(), z)),
          d.noiseAugmentation());
      case LatentConfig.Spherical s -> new SphericalEncoder(inner, z);
    };
    Decoder decoder = switch (c.decoder()) {
      case GeneratorV1Config g -> new GeneratorV1(g, c.padding());
      case GeneratorV2Config g -> new GeneratorV2(g, c.padding(), adain);
    };
    RaveModel model = new RaveModel(c, pqmf, encoder, decoder);
    model.eval();
    return model;
  }
}
