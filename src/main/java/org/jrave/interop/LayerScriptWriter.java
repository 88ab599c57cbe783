package org.jrave.interop;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.model.blocks.AdaptiveInstanceNormalization;
import org.jrave.model.blocks.BatchNorm1d;
import org.jrave.model.blocks.Branches;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.blocks.Snake;
import org.jrave.model.config.GeneratorV1Config;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.v1.GeneratorV1;
import org.jrave.model.v1.SampleNorm;
import org.jrave.model.v2.GeneratorV2;
import org.jrave.model.v2.NoiseGeneratorV2;

/**
 * Turns a jrave layer tree into straight-line TorchScript statements on one variable ({@code x}),
 * with weights read from the exported module's attributes under the layer's state-dict path (e.g.
 * {@code getattr(self.encoder.encoder.net, "0").weight}). Weight-normalised convolutions refer to
 * their fused {@code weight}. Layers it does not know are refused with the layer's class name.
 *
 * <p>This is the offline form (the whole signal at once). Streaming exports are written from the
 * block engine's graph ({@link GraphToTorchScript}), which uses this writer only for the
 * sample-by-sample layers the graph bridges (AdaIN, SampleNorm).
 */
final class LayerScriptWriter {

  private final List<String> lines = new ArrayList<>();
  private int temporaries;

  /** The statements written so far, each indented by {@code indent}. */
  String body(String indent) {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(indent).append(line).append('\n');
    }
    return out.toString();
  }

  void line(String statement) {
    lines.add(statement);
  }

  /** Python expression for the module at a dotted path: {@code self.a.b} or {@code getattr(self.a, "0")}. */
  static String ref(String path) {
    String expr = "self";
    for (String part : path.split("\\.")) {
      expr = part.matches("[A-Za-z_][A-Za-z0-9_]*") ? expr + "." + part : "getattr(" + expr + ", \"" + part + "\")";
    }
    return expr;
  }

  private String temp(String prefix) {
    return prefix + (temporaries++);
  }

  /** Writes {@code x = layer(x)} for a layer at {@code path}. */
  void layer(Module layer, String path) {
    switch (layer) {
      case Sequential s -> {
        List<org.jrave.model.blocks.Layer> layers = s.layers();
        for (int i = 0; i < layers.size(); i++) {
          layer(layers.get(i), path + "." + i);
        }
      }
      case Residual r -> {
        String skip = temp("skip");
        line(skip + " = x");
        layer(r.branch(), path + ".aligned.branches.0");
        line("x = x + " + skip);
      }
      case NetLayer<?> n -> layer(n.net(), path + ".net");
      case Conv1d c -> conv(c, path);
      case ConvTranspose1d t -> line("x = torch.conv_transpose1d(x, " + ref(path) + ".weight, "
          + (t.biasOrNull() == null ? "None" : ref(path) + ".bias") + ", [" + t.stride() + "], [" + t.padding()
          + "], [0], 1, [1])");
      case LeakyRelu l -> line("x = torch.leaky_relu(x, " + l.slope() + ")");
      case Snake s -> {
        String a = ref(path) + ".alpha";
        line("x = x + torch.pow(torch.sin(" + a + " * x), 2) / (" + a + " + 1e-9)");
      }
      case BatchNorm1d b -> {
        String m = ref(path);
        line("x = torch.batch_norm(x, " + m + ".weight, " + m + ".bias, " + m + ".running_mean, " + m
            + ".running_var, False, 0.1, 1e-5, False)");
      }
      case SampleNorm n -> line("x = x / torch.sqrt(torch.sum(x * x, 1, True))");
      case Branches b -> branches(b, path);
      case AdaptiveInstanceNormalization a -> {
        String m = ref(path);
        line("x = self._adain(x, " + m + ".mean_x, " + m + ".std_x, " + m + ".learn_x, " + m + ".num_update_x, "
            + m + ".mean_y, " + m + ".std_y, " + m + ".learn_y, " + m + ".num_update_y)");
      }
      default -> throw new UnsupportedOperationException(
          "TorchScript export does not support " + layer.getClass().getSimpleName() + " layers yet");
    }
  }

  /** Sum of parallel branches. */
  private void branches(Branches b, String path) {
    String input = temp("branch_in");
    line(input + " = x");
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < b.size(); i++) {
      line("x = " + input);
      layer(b.branch(i), path + ".branches." + i);
      String out = temp("branch_out");
      line(out + " = x");
      outputs.add(out);
    }
    line("x = " + String.join(" + ", outputs));
  }

  private void conv(Conv1d c, String path) {
    Conv1d.Spec s = c.spec();
    Padding p = s.padding();
    if (p.total() > 0) {
      line("x = torch.constant_pad_nd(x, [" + p.left() + ", " + p.right() + "], 0.0)");
    }
    line("x = torch.conv1d(x, " + ref(path) + ".weight, " + (s.bias() ? ref(path) + ".bias" : "None")
        + ", [" + s.stride() + "], [0], [" + s.dilation() + "], " + s.groups() + ")");
  }

  /** Writes the v2 decoder: {@code x = decoder(x)} (latent to multiband signal). */
  void generatorV2(GeneratorV2 g, GeneratorV2Config c, String path) {
    layer(g.net(), path + ".net");
    if (g.waveformModule() == null) {
      amplitudeModulation(c);
      line("x = torch.tanh(x)");
      return;
    }
    String hidden = temp("hidden");
    line(hidden + " = x");
    layer(g.waveformModule(), path + ".waveform_module");
    String wave = temp("wave");
    line(wave + " = x");
    line("x = " + hidden);
    NoiseGeneratorV2 n = g.noiseModule();
    noise(n.children().get("net"), path + ".noise_module.net", c.outputChannels(), c.noise().noiseBands(),
        n.targetSize());
    String noise = temp("noise");
    line(noise + " = x");
    line("x = " + wave);
    amplitudeModulation(c);
    line("x = torch.tanh(x + " + noise + ")");
  }

  private void amplitudeModulation(GeneratorV2Config c) {
    if (c.amplitudeModulation()) {
      line("x = x[:, :x.shape[1] // 2] * torch.sigmoid(x[:, x.shape[1] // 2:])");
    }
  }

  /** Filtered uniform noise from the decoder's hidden state, as {@code FilteredNoise} makes it. */
  private void noise(Module net, String netPath, int bands, int noiseBands, int length) {
    layer(net, netPath);
    int k = 2 * (noiseBands - 1);
    line("x = 2.0 * torch.pow(torch.sigmoid(x - 5.0), 2.3) + 1e-7");
    line("batch, frames = x.shape[0], x.shape[2]");
    line("x = x.permute(0, 2, 1).reshape(batch, frames, " + bands + ", " + noiseBands + ")");
    line("ir = torch.fft_irfft(torch.complex(x, torch.zeros_like(x)), " + k + ")");
    line("ir = torch.roll(ir, [" + (k / 2) + "], [-1])");
    line("ir = ir * torch.hann_window(" + k + ", dtype=ir.dtype)");
    if (length >= k) {
      line("ir = torch.constant_pad_nd(ir, [0, " + (length - k) + "], 0.0)");
    } else {
      line("ir = ir[..., :" + length + "]");
    }
    line("ir = torch.roll(ir, [" + Math.floorDiv(-k, 2) + "], [-1])");
    line("u = torch.rand([batch, frames, " + bands + ", " + length + "], dtype=x.dtype) * 2.0 - 1.0");
    line("spectrum = torch.fft_rfft(torch.constant_pad_nd(u, [0, " + length + "], 0.0), " + 2 * length + ")"
        + " * torch.fft_rfft(torch.constant_pad_nd(ir, [" + length + ", 0], 0.0), " + 2 * length + ")");
    line("x = torch.fft_irfft(spectrum, " + 2 * length + ")[..., " + length + ":]");
    line("x = x.permute(0, 2, 1, 3).reshape(batch, " + bands + ", frames * " + length + ")");
  }

  /**
   * Writes the v1 decoder: {@code net}, then the synthesis branches (waveform, loudness, noise),
   * {@code tanh(wave) * mod_sigmoid(loudness)} plus the noise once {@code warmed_up}.
   */
  void generatorV1(GeneratorV1 g, GeneratorV1Config c, String path) {
    layer(g.net(), path + ".net");
    String hidden = temp("hidden");
    line(hidden + " = x");
    Branches synth = (Branches) g.children().get("synth");
    String branches = path + ".synth.branches.";
    layer(synth.branch(0), branches + "0");
    String wave = temp("wave");
    line(wave + " = x");
    line("x = " + hidden);
    layer(synth.branch(1), branches + "1");
    String loud = c.loudStride() == 1 ? "x" : "torch.repeat_interleave(x, " + c.loudStride() + ", 2)";
    line("x = torch.tanh(" + wave + ") * (2.0 * torch.pow(torch.sigmoid(" + loud + "), 2.3) + 1e-7)");
    if (g.noiseModule() != null) {
      String out = temp("out");
      line(out + " = x");
      line("x = " + hidden);
      noise(g.noiseModule().children().get("net"), branches + "2.net", c.outputChannels(), c.noise().noiseBands(),
          g.noiseModule().targetSize());
      line("if int(" + ref(path) + ".warmed_up.item()) != 0:");
      line("    " + out + " = " + out + " + x");
      line("x = " + out);
    }
  }
}
