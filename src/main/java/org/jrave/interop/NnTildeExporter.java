package org.jrave.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.model.RaveModel;
import org.jrave.model.config.EncoderV1Config;
import org.jrave.model.config.EncoderV2Config;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.config.LatentConfig;
import org.jrave.model.config.RaveConfig;
import org.jrave.model.v1.GeneratorV1;
import org.jrave.model.v2.GeneratorV2;
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;
import org.jrave.streaming.StreamingModel;

/**
 * Writes a jrave model as an nn~ TorchScript module (the interface of spec 8.2): methods
 * {@code encode}/{@code decode}/{@code forward} with {@code <method>_params} buffers, the
 * fidelity-truncated PCA latent, the nn~ attributes with getters and setters, {@code sr} and the
 * other scalar attributes. The code is TorchScript generated from the model's layers and compiled by
 * libtorch; the weights are registered under the reference's state-dict names with weight-norm
 * pairs fused into {@code weight}.
 *
 * <p>Covered: v1 models (EncoderV1/GeneratorV1: batch or sample norm, residual stacks, loudness and
 * noise branches) and v2-family models (EncoderV2/GeneratorV2, with or without the noise branch, LeakyReLU
 * or Snake, AdaIN driven by the nn~ attributes ({@link AdaInScript}), centred or causal, any
 * channel count) with a variational, Wasserstein, spherical or
 * discrete latent ({@link LatentScript}), offline or streaming. Offline code follows the layer
 * tree ({@link LayerScriptWriter}, {@link PqmfScript}); streaming code is written from the block
 * engine's graphs ({@link GraphToTorchScript}), the computation of jrave's real-time processor
 * (cached convolutions, aligned residuals, frame-exact PQMF): each method is its own stream whose
 * caches persist between calls, and its latency in samples is the attribute {@code <method>_latency}.
 */
public final class NnTildeExporter {

  /**
   * Export settings.
   *
   * @param fidelity share of latent variance the exposed latent keeps (picks its size)
   * @param streaming cached convolutions: every call continues the signal of the previous one
   * @param prior a prior to bundle as the {@code prior} method (its latent size then sets the
   *     exported one), or null
   */
  public record Options(double fidelity, boolean streaming, PriorFile.Loaded prior) {
    public Options(double fidelity, boolean streaming) {
      this(fidelity, streaming, null);
    }

    public static Options defaults() {
      return new Options(0.95, false);
    }
  }

  /**
   * What was written: the exposed latent size, the ratio, the methods, and (streaming) each
   * method's latency in samples.
   */
  public record Summary(int latentSize, int fullLatentSize, int ratio, List<String> methods,
      Map<String, Integer> latencies) {}

  static final List<String> ATTRIBUTES = List.of("learn_target", "reset_target", "learn_source", "reset_source");

  private NnTildeExporter() {}

  public static Summary export(RaveModel model, Path out, Options options) throws IOException {
    RaveConfig c = model.config();
    requireSupported(c);
    PriorFile.Loaded prior = options.prior();
    if (prior != null) {
      String mismatch = PriorScript.mismatch(model, prior);
      if (mismatch != null) {
        throw new IllegalArgumentException(mismatch);
      }
    }
    Program program = program(model, options.streaming(), prior == null ? null : prior.network().config());
    int full = c.latentSize();
    int latent = switch (c.latent()) {
      // The prior's latents go straight into decode: the exposed latent has the prior's size.
      case LatentConfig.Variational v when prior != null -> prior.network().config().latentSize();
      case LatentConfig.Variational v -> ExportedLatentSize.of(model.fidelity().toFloatArray(), options.fidelity());
      case LatentConfig.Spherical sph -> full - 1; // the angles of a unit vector
      case LatentConfig.Discrete d -> d.numQuantizers(); // one code index per quantiser
      default -> full;
    };
    int ratio = model.ratio();
    int channels = c.channels();
    List<String> methods = prior == null ? List.of("encode", "decode", "forward")
        : List.of("encode", "decode", "forward", "prior");
    try (TensorScope scope = new TensorScope(); NoGrad ng = NoGrad.enter();
        ScriptModule m = ScriptModule.create("__torch__.jrave.ScriptedRave")) {
      for (Map.Entry<String, Tensor> e : fusedParameters(model).entrySet()) {
        // A streaming program reads its weights from the graph's constants: keep only what it names.
        if (!options.streaming() || program.source().contains(LayerScriptWriter.ref(e.getKey()))) {
          m.addNested(e.getKey(), e.getValue().contiguous(), true);
        }
      }
      for (Map.Entry<String, Parameter> e : model.namedBuffers().entrySet()) {
        m.addNested(e.getKey(), e.getValue().value().contiguous(), false);
      }
      m.addBuffer("encode_params", Tensor.fromLongs(new long[] {channels, 1, latent, ratio}, 4));
      m.addBuffer("decode_params", Tensor.fromLongs(new long[] {latent, ratio, channels, 1}, 4));
      m.addBuffer("forward_params", Tensor.fromLongs(new long[] {channels, 1, channels, 1}, 4));
      if (prior != null) {
        m.addBuffer("prior_params", Tensor.fromLongs(new long[] {1, ratio, latent, ratio}, 4));
        PriorScript.register(m, prior);
      }
      m.addAttribute("sr", c.sampleRate());
      m.addAttribute("n_channels", channels);
      m.addAttribute("target_channels", channels);
      m.addAttribute("full_latent_size", full);
      m.addAttribute("latent_size", latent);
      m.addAttribute("input_mode", c.bands() > 1 ? "pqmf" : "raw");
      m.addAttribute("output_mode", c.bands() > 1 ? "pqmf" : "raw");
      m.addAttribute("stereo_mode", false);
      m.addAttribute("is_using_adain", AdaInScript.uses(model));
      m.addAttribute("_has_prior", prior != null);
      m.addAttribute("_methods", methods);
      List<String> attributes = new java.util.ArrayList<>(List.of("none"));
      attributes.addAll(ATTRIBUTES);
      m.addAttribute("_attributes", attributes);
      for (String a : ATTRIBUTES) {
        m.addAttribute(a, false);
        m.addBuffer(a + "_params", Tensor.zeros(1));
      }
      for (ScriptBuffers.Buffer b : program.buffers()) {
        m.addNested(b.name(), b.tensor(), false);
      }
      m.addAttribute("streaming", options.streaming());
      for (Map.Entry<String, Integer> e : program.latencies().entrySet()) {
        m.addAttribute(e.getKey() + "_latency", e.getValue());
      }
      m.define(program.source());
      m.save(out);
    }
    return new Summary(latent, full, ratio, methods, program.latencies());
  }

  private static void requireSupported(RaveConfig c) {
    boolean v2 = c.encoder() instanceof EncoderV2Config && c.decoder() instanceof GeneratorV2Config;
    boolean v1 = c.encoder() instanceof EncoderV1Config && c.decoder() instanceof GeneratorV1Config;
    if (!v1 && !v2) {
      throw new UnsupportedOperationException("TorchScript export covers v1 and v2-family models; this model is "
          + c.name());
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

  /** Generated TorchScript, the buffers it reads beyond the model's own, and the latency of each method. */
  record Program(String source, List<ScriptBuffers.Buffer> buffers, Map<String, Integer> latencies) {}

  /**
   * The TorchScript of every method. Offline, one encoder/decoder chain serves all methods;
   * streaming, each method is its own stream with its own caches (as each nn~ object runs one),
   * written from the block engine's graphs, and its latency (audio samples) is the engine's.
   */
  static Program program(RaveModel model, boolean streaming, PriorConfig prior) {
    RaveConfig c = model.config();
    StringBuilder src = new StringBuilder();
    ScriptBuffers buffers = new ScriptBuffers();
    Map<String, Integer> latencies = new LinkedHashMap<>();
    if (streaming) {
      src.append(StreamingHelpers.SOURCE);
      src.append(streams(model, buffers, latencies));
    } else {
      src.append(offlineChain(model));
    }
    String check = streaming ? "    self._check_batch(x)\n" : "";
    String enc = streaming ? "_encode" : "";
    String dec = streaming ? "_decode" : "";
    src.append(LatentScript.source(model));
    src.append(AdaInScript.source(model));
    src.append("""
        def _stereo_out(self, y):
            batch = y.shape[0]
            if self.stereo_mode and batch > 1:
                y = torch.cat([y[:batch // 2], y[batch // 2:]], 1)
            return y

        def encode(self, x):
        %4$s    if self.stereo_mode and self.n_channels == 1:
                x = x[:, :1]
            self._update_adain()
            return self._latent_in(self._encoder%2$s(x))

        def decode(self, z, from_forward: bool = False):
        %5$s    if not from_forward:
                self._update_adain()
            return self._stereo_out(self._decoder%3$s(self._latent_out(z)))

        """.formatted(c.latentSize(), enc, dec, check, check.replace("(x)", "(z)")));
    if (streaming) {
      src.append("""
          def forward(self, x):
              self._check_batch(x)
              if self.stereo_mode and self.n_channels == 1:
                  x = x[:, :1]
              self._update_adain()
              z = self._latent_in(self._encoder_forward(x))
              return self._stereo_out(self._decoder_forward(self._latent_out(z)))

          """);
    } else {
      src.append("""
          def forward(self, x):
              return self.decode(self.encode(x), True)

          """);
    }
    src.append("""
        def get_methods(self) -> List[str]:
            return self._methods

        def get_attributes(self) -> List[str]:
            return self._attributes

        def set_stereo_mode(self, stereo: Tensor):
            self.stereo_mode = bool(stereo.item())

        """);
    src.append(prior != null ? PriorScript.source(prior) : """
        def prior(self, temp: Tensor) -> Tensor:
            return torch.zeros(1)
        """);
    for (String a : ATTRIBUTES) {
      src.append("""

          def get_%1$s(self) -> bool:
              return self.%1$s

          def set_%1$s(self, %1$s: bool) -> int:
              self.%1$s = %1$s
              return 0
          """.formatted(a));
    }
    return new Program(src.toString(), buffers.all(), latencies);
  }

  /** {@code _encoder} (PQMF analysis and encoder) and {@code _decoder} (decoder and synthesis), offline. */
  private static String offlineChain(RaveModel model) {
    RaveConfig c = model.config();
    PqmfScript pqmf = new PqmfScript(model.pqmf());
    LayerScriptWriter encoder = new LayerScriptWriter();
    encoder.layer(model.encoder().inner(), "encoder.encoder");
    LayerScriptWriter decoder = new LayerScriptWriter();
    switch (model.decoder()) {
      case GeneratorV2 g -> decoder.generatorV2(g, (GeneratorV2Config) c.decoder(), "decoder");
      case GeneratorV1 g -> decoder.generatorV1(g, (GeneratorV1Config) c.decoder(), "decoder");
      default -> throw new UnsupportedOperationException("no TorchScript for " + model.decoder().getClass());
    }
    return pqmf.common() + pqmf.analysis() + pqmf.synthesis()
        + "def _encoder(self, x):\n    x = self._analysis(x)\n" + encoder.body("    ") + "    return x\n\n"
        + "def _decoder(self, x):\n" + decoder.body("    ") + "    return self._synthesis(x)\n\n";
  }

  /**
   * {@code _encoder_<stream>} (audio to the encoder's raw output) and {@code _decoder_<stream>}
   * (latent to audio) of each stream, written from the block engine's graphs, PQMF included.
   */
  private static String streams(RaveModel model, ScriptBuffers buffers, Map<String, Integer> latencies) {
    Map<Module, String> paths = modulePaths(model);
    Function<Module, String> pathOf = m -> {
      String path = paths.get(m);
      if (path == null) {
        throw new IllegalStateException(m.getClass().getSimpleName() + " is not a module of the exported model");
      }
      return path;
    };
    StringBuilder src = new StringBuilder();
    for (StreamingModel.Method method : List.of(StreamingModel.Method.ENCODE, StreamingModel.Method.DECODE,
        StreamingModel.Method.FORWARD)) {
      String stream = method.name().toLowerCase(Locale.ROOT);
      // Built for one latent frame; the written code takes any multiple of the ratio.
      try (StreamingModel graphs = StreamingModel.forExport(model, method, model.ratio())) {
        if (graphs.encoderGraph() != null) {
          src.append(GraphToTorchScript.method("_encoder_" + stream, graphs.encoderGraph(), buffers,
              "streams." + stream + "_encoder.", pathOf));
        }
        if (graphs.decoderGraph() != null) {
          src.append(GraphToTorchScript.method("_decoder_" + stream, graphs.decoderGraph(), buffers,
              "streams." + stream + "_decoder.", pathOf));
        }
        latencies.put(stream, graphs.latencySamples());
      }
    }
    return src.toString();
  }

  /** Every module of the tree under {@code root}, by identity, with its state-dict path. */
  private static Map<Module, String> modulePaths(Module root) {
    Map<Module, String> out = new IdentityHashMap<>();
    collectPaths(root, "", out);
    return out;
  }

  private static void collectPaths(Module m, String path, Map<Module, String> out) {
    out.put(m, path);
    m.children().forEach((name, child) -> collectPaths(child, path.isEmpty() ? name : path + "." + name, out));
  }
}
