package org.jrave.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jrave.engine.ScriptModule;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;

/**
 * Test models with the nn~ interface of a RAVE export, written in our own TorchScript: a strided
 * convolution as encoder ({@code channels -> latent}, one frame per {@code ratio} samples), its
 * transpose as decoder, a one-sample delay line with a cache buffer (state carried across calls,
 * like streaming caches) on the decoder output, {@code get_methods}, the five nn~ attributes with
 * getters and setters, and the scalar attributes of a real export.
 */
public final class NnTildeFixture {
  private NnTildeFixture() {}

  /** How the interface is declared. */
  public enum Style {
    /** {@code get_methods()}, {@code sr} attribute, attributes (nn~ 1.5 exports). */
    MODERN,
    /** No {@code get_methods}: methods known from their {@code <method>_params} buffers only; a {@code sampling_rate} buffer. */
    BUFFERS_ONLY,
    /** Methods without params buffers. */
    NO_PARAMS
  }

  static final String CODE = """
      def encode(self, x):
          return torch.conv1d(x, self.weight, None, [self.ratio])

      def _delay(self, y):
          b = y.shape[0]
          full = torch.cat([self.cache[:b], y], -1)
          self.cache[:b].copy_(full[:, :, -1:])
          return full[:, :, :-1]

      def decode(self, z, from_forward: bool = False):
          y = torch.conv_transpose1d(z, self.weight, None, [self.ratio])
          return self._delay(y)

      def forward(self, x):
          return self.decode(self.encode(x), True)
      """;

  static final String MODERN_EXTRAS = """
      def get_methods(self):
          return self._methods

      def get_attributes(self) -> List[str]:
          return self._attributes

      def get_learn_target(self) -> bool:
          return self.learn_target

      def set_learn_target(self, learn_target: bool) -> int:
          self.learn_target = learn_target
          return 0

      def get_reset_target(self) -> bool:
          return self.reset_target

      def set_reset_target(self, reset_target: bool) -> int:
          self.reset_target = reset_target
          return 0

      def set_stereo_mode(self, stereo: torch.Tensor):
          self.stereo_mode = bool(stereo.item())

      def prior(self, temp: torch.Tensor):
          return torch.zeros(1)
      """;

  /** Writes a fixture model to {@code file}; returns the weight for checking outputs. */
  public static float[] write(Path file, Style style, int sr, int channels, int latent, int ratio) throws IOException {
    try (TensorScope scope = new TensorScope(); ScriptModule m = ScriptModule.create("__torch__.FixtureRave")) {
      float[] w = new float[latent * channels * ratio];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) Math.sin(0.37 * i + 0.1) / ratio;
      }
      m.addParameter("weight", Tensor.fromFloats(w, latent, channels, ratio));
      m.addBuffer("cache", Tensor.zeros(64, channels, 1));
      m.addAttribute("ratio", ratio);
      m.addAttribute("n_channels", channels);
      m.addAttribute("latent_size", latent);
      m.addAttribute("full_latent_size", 2 * latent);
      m.addAttribute("input_mode", "pqmf");
      m.addAttribute("stereo_mode", false);
      if (style != Style.NO_PARAMS) {
        m.addBuffer("encode_params", Tensor.fromLongs(new long[] {channels, 1, latent, ratio}, 4));
        m.addBuffer("decode_params", Tensor.fromLongs(new long[] {latent, ratio, channels, 1}, 4));
        m.addBuffer("forward_params", Tensor.fromLongs(new long[] {channels, 1, channels, 1}, 4));
      }
      String code = CODE;
      if (style == Style.MODERN) {
        m.addAttribute("sr", sr);
        m.addAttribute("_methods", List.of("encode", "decode", "forward"));
        m.addAttribute("_attributes", List.of("none", "learn_target", "reset_target"));
        m.addBuffer("learn_target_params", Tensor.zeros(1));
        m.addBuffer("reset_target_params", Tensor.zeros(1));
        code = CODE + MODERN_EXTRAS;
      } else {
        m.addBuffer("sampling_rate", Tensor.fromFloats(new float[] {sr}, 1));
      }
      if (style == Style.MODERN) {
        m.addAttribute("learn_target", false);
        m.addAttribute("reset_target", false);
      }
      m.define(code.stripIndent());
      m.save(file);
      return w;
    }
  }
}
