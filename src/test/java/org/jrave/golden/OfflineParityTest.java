package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.blocks.Layer;
import org.jrave.model.latent.VariationalEncoder;
import org.jrave.model.noise.NoiseSource;
import org.jrave.model.v2.GeneratorV2;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every offline golden tensor of both golden variants, within the golden README's tolerances. */
class OfflineParityTest {
  private static final double ATOL = 5e-5;
  private static final double RTOL = 1e-4;

  @ParameterizedTest
  @ValueSource(strings = {"v2n-c8", "v2n-c8-causal"})
  void encoderLatentAndDecoderMatchTheReference(String variant) {
    Map<String, Tensor> g = Golden.load(variant + "/offline.safetensors");
    try (RaveModel model = GoldenModels.load(variant); TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter()) {
      Tensor x = g.get("x");
      Golden.assertClose("pqmf_bands", model.analyze(x), g.get("pqmf_bands"), 1e-6, 1e-5);
      Golden.assertClose("pqmf_roundtrip", model.synthesize(g.get("pqmf_bands")), g.get("pqmf_roundtrip"), 1e-6, 1e-5);

      // Encoder, layer by layer where the golden file has them.
      Tensor h = model.analyze(x);
      var layers = ((org.jrave.model.v2.EncoderV2) model.encoder().inner()).net().layers();
      for (int i = 0; i < layers.size(); i++) {
        h = layers.get(i).forward(h);
        String name = String.format("enc_layer.%02d.", i);
        for (String key : g.keySet()) {
          if (key.startsWith(name)) {
            Golden.assertClose(key, h, g.get(key), ATOL, RTOL);
          }
        }
      }
      Tensor raw = model.encodeRaw(x);
      Golden.assertClose("enc_raw", raw, g.get("enc_raw"), ATOL, RTOL);

      VariationalEncoder vae = (VariationalEncoder) model.encoder();
      Golden.assertClose("z_mean", vae.mean(raw), g.get("z_mean"), ATOL, RTOL);
      Golden.assertClose("z_std", vae.std(raw), g.get("z_std"), ATOL, RTOL);
      Tensor sample = vae.reparametrize(raw, g.get("z_eps")).z();
      Golden.assertClose("z_sample", sample, g.get("z_sample"), ATOL, RTOL);

      Golden.assertClose("z_pca", model.projectLatent(g.get("z_sample")), g.get("z_pca"), ATOL, RTOL);
      Golden.assertClose("z_pca_inverse", model.unprojectLatent(g.get("z_pca")), g.get("z_pca_inverse"), ATOL, RTOL);

      // Decoder from the golden mean.
      Tensor zMean = g.get("z_mean");
      GeneratorV2 decoder = (GeneratorV2) model.decoder();
      Tensor d = zMean;
      var decLayers = decoder.net().layers();
      for (int i = 0; i < decLayers.size(); i++) {
        d = decLayers.get(i).forward(d);
        String name = String.format("dec_layer.%02d.", i);
        for (String key : g.keySet()) {
          if (key.startsWith(name)) {
            Golden.assertClose(key, d, g.get(key), ATOL, RTOL);
          }
        }
      }
      if (g.containsKey("dec_layer.waveform_module")) {
        Golden.assertClose("dec_layer.waveform_module", decoder.waveformModule().forward(d),
            g.get("dec_layer.waveform_module"), ATOL, RTOL);
      }
      Golden.assertClose("dec_multiband_nonoise", model.decodeMultiband(zMean, NoiseSource.SILENT),
          g.get("dec_multiband_nonoise"), ATOL, RTOL);
      Golden.assertClose("dec_out_nonoise", model.decode(zMean, NoiseSource.SILENT), g.get("dec_out_nonoise"), ATOL, RTOL);

      Tensor recorded = g.get("dec_noise_uniform");
      NoiseSource replay = (device, shape) -> {
        assertThat(shape).containsExactly(recorded.shape());
        return recorded;
      };
      Golden.assertClose("dec_noise_module_out", decoder.noiseModule().forward(d, replay),
          g.get("dec_noise_module_out"), ATOL, RTOL);
      Golden.assertClose("dec_multiband_noise", model.decodeMultiband(zMean, replay), g.get("dec_multiband_noise"), ATOL, RTOL);
      Golden.assertClose("dec_out_noise", model.decode(zMean, replay), g.get("dec_out_noise"), ATOL, RTOL);
    }
  }
}
