package org.jrave.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.v2.GeneratorV2;

/**
 * Writes a jrave model as an nn~ TorchScript module (the interface of spec 8.2): methods
 * {@code encode}/{@code decode}/{@code forward} with {@code <method>_params} buffers, the
 * fidelity-truncated PCA latent, the nn~ attributes with getters and setters, {@code sr} and the
 * other scalar attributes. The code is TorchScript generated from the model's layers and compiled by
 * libtorch; the weights are registered under the reference's state-dict names with weight-norm
 * pairs fused into {@code weight}.
 *
 * <p>Covered: v2-family models (EncoderV2/GeneratorV2, with or without the noise branch, LeakyReLU
 * or Snake, centred or causal) with a variational latent, offline (non-streaming) convolutions.
 */
public final class NnTildeExporter {

  /**
   * Export settings.
   *
   * @param fidelity share of latent variance the exposed latent keeps (picks its size)
   * @param streaming cached convolutions: every call continues the signal of the previous one
   */
  public record Options(double fidelity, boolean streaming) {
    public static Options defaults() {
      return new Options(0.95, false);
    }
  }

  /** What was written: the exposed latent size and the method parameters. */
  public record Summary(int latentSize, int fullLatentSize, int ratio, List<String> methods) {}

  static final List<String> ATTRIBUTES = List.of("learn_target", "reset_target", "learn_source", "reset_source");

  private NnTildeExporter() {}

  public static Summary export(RaveModel model, Path out, Options options) throws IOException {
    RaveConfig c = model.config();
    requireSupported(c);
    if (options.streaming()) {
      throw new UnsupportedOperationException("streaming export is not available in this jrave yet");
    }
    int full = c.latentSize();
    int latent = ExportedLatentSize.of(model.fidelity().toFloatArray(), options.fidelity());
    int ratio = model.ratio();
    int channels = c.channels();
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter();
        ScriptModule m = ScriptModule.create("__torch__.jrave.ScriptedRave")) {
      for (Map.Entry<String, Tensor> e : fusedParameters(model).entrySet()) {
        m.addNested(e.getKey(), e.getValue().contiguous(), true);
      }
      for (Map.Entry<String, Parameter> e : model.namedBuffers().entrySet()) {
        m.addNested(e.getKey(), e.getValue().value().contiguous(), false);
      }
      m.addBuffer("encode_params", Tensor.fromLongs(new long[] {channels, 1, latent, ratio}, 4));
      m.addBuffer("decode_params", Tensor.fromLongs(new long[] {latent, ratio, channels, 1}, 4));
      m.addBuffer("forward_params", Tensor.fromLongs(new long[] {channels, 1, channels, 1}, 4));
      m.addAttribute("sr", c.sampleRate());
      m.addAttribute("n_channels", channels);
      m.addAttribute("target_channels", channels);
      m.addAttribute("full_latent_size", full);
      m.addAttribute("latent_size", latent);
      m.addAttribute("input_mode", c.bands() > 1 ? "pqmf" : "raw");
      m.addAttribute("output_mode", c.bands() > 1 ? "pqmf" : "raw");
      m.addAttribute("stereo_mode", false);
      m.addAttribute("is_using_adain", false);
      m.addAttribute("_has_prior", false);
      m.addAttribute("_methods", List.of("encode", "decode", "forward"));
      List<String> attributes = new java.util.ArrayList<>(List.of("none"));
      attributes.addAll(ATTRIBUTES);
      m.addAttribute("_attributes", attributes);
      for (String a : ATTRIBUTES) {
        m.addAttribute(a, false);
        m.addBuffer(a + "_params", Tensor.zeros(1));
      }
      m.define(source(model));
      m.save(out);
    }
    return new Summary(latent, full, ratio, List.of("encode", "decode", "forward"));
  }

  private static void requireSupported(RaveConfig c) {
    if (!(c.latent() instanceof LatentConfig.Variational)) {
      throw new UnsupportedOperationException("TorchScript export covers variational (VAE) models; this model's "
          + "latent is " + c.latent().getClass().getSimpleName());
    }
    if (!(c.encoder() instanceof EncoderV2Config e) || !(c.decoder() instanceof GeneratorV2Config g)) {
      throw new UnsupportedOperationException("TorchScript export covers v2-family models (EncoderV2/GeneratorV2); "
          + "this model is " + c.name());
    }
    if (e.adain() || g.adain()) {
      throw new UnsupportedOperationException("TorchScript export does not cover AdaIN models yet");
    }
  }

  /** Trainable parameters by name, weight-norm pairs fused: {@code x.weight_g, x.weight_v -> x.weight}. */
  static Map<String, Tensor> fusedParameters(RaveModel model) {
    Map<String, Parameter> params = model.namedParameters();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> e : params.entrySet()) {
      String name = e.getKey();
      Tensor value = e.getValue().value().detach();
      if (name.endsWith(".weight_g")) {
        String base = name.substring(0, name.length() - "_g".length());
        Tensor v = params.get(base + "_v").value().detach();
        out.put(base, v.mul(value.div(v.normExceptDim(0))));
      } else if (!name.endsWith(".weight_v")) {
        out.put(name, value);
      }
    }
    return out;
  }

  /** The TorchScript source of every method. */
  static String source(RaveModel model) {
    RaveConfig c = model.config();
    int z = c.latentSize();
    StringBuilder src = new StringBuilder();
    LayerScriptWriter encoder = new LayerScriptWriter();
    encoder.layer(model.encoder().inner(), "encoder.encoder");
    src.append("def _encoder(self, x):\n").append(encoder.body("    ")).append("    return x\n\n");
    LayerScriptWriter decoder = new LayerScriptWriter();
    decoder.generatorV2((GeneratorV2) model.decoder(), (GeneratorV2Config) c.decoder(), "decoder");
    src.append("def _decoder(self, x):\n").append(decoder.body("    ")).append("    return x\n\n");
    src.append(PqmfScript.source(model.pqmf()));
    src.append("""
        def encode(self, x):
            if self.stereo_mode and self.n_channels == 1:
                x = x[:, :1]
            raw = self._encoder(self._analysis(x))
            mean = raw[:, :%1$d]
            std = torch.softplus(raw[:, %1$d:], 1.0, 20.0) + 1e-4
            z = torch.randn(mean.size(), dtype=mean.dtype, device=mean.device) * std + mean
            z = torch.matmul(self.latent_pca, z - self.latent_mean.unsqueeze(-1))
            return z[:, :self.latent_size]

        def decode(self, z, from_forward: bool = False):
            batch, frames = z.shape[0], z.shape[2]
            missing = self.full_latent_size - z.shape[1]
            if missing > 0:
                z = torch.cat([z, torch.randn([batch, missing, frames], dtype=z.dtype, device=z.device)], 1)
            z = torch.matmul(self.latent_pca.t(), z) + self.latent_mean.unsqueeze(-1)
            y = self._synthesis(self._decoder(z))
            if self.stereo_mode and batch > 1:
                y = torch.cat([y[:batch // 2], y[batch // 2:]], 1)
            return y

        def forward(self, x):
            return self.decode(self.encode(x), True)

        def get_methods(self) -> List[str]:
            return self._methods

        def get_attributes(self) -> List[str]:
            return self._attributes

        def set_stereo_mode(self, stereo: Tensor):
            self.stereo_mode = bool(stereo.item())

        def prior(self, temp: Tensor) -> Tensor:
            return torch.zeros(1)
        """.formatted(z));
    for (String a : ATTRIBUTES) {
      src.append("""
          def get_%1$s(self) -> bool:
              return self.%1$s

          def set_%1$s(self, %1$s: bool) -> int:
              self.%1$s = %1$s
              return 0
          """.formatted(a));
    }
    return src.toString();
  }
}
