package org.jrave.interop;

import java.util.ArrayList;
import java.util.List;
import org.jrave.engine.Module;
import org.jrave.model.blocks.Conv1d;
import org.jrave.model.blocks.ConvTranspose1d;
import org.jrave.model.blocks.LeakyRelu;
import org.jrave.model.blocks.NetLayer;
import org.jrave.model.blocks.Padding;
import org.jrave.model.blocks.Residual;
import org.jrave.model.blocks.Sequential;
import org.jrave.model.blocks.Snake;
import org.jrave.model.config.GeneratorV2Config;
import org.jrave.model.v2.GeneratorV2;
import org.jrave.model.v2.NoiseGeneratorV2;

/**
 * Turns a jrave layer tree into straight-line TorchScript statements on one variable ({@code x}),
 * with weights read from the exported module's attributes under the layer's state-dict path (e.g.
 * {@code getattr(self.encoder.encoder.net, "0").weight}). Weight-normalised convolutions refer to
 * their fused {@code weight}. Layers it does not know are refused with the layer's class name.
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
      default -> throw new UnsupportedOperationException(
          "TorchScript export does not support " + layer.getClass().getSimpleName() + " layers yet");
    }
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
      amplitudeAndTanh(c);
      return;
    }
    String hidden = temp("hidden");
    line(hidden + " = x");
    layer(g.waveformModule(), path + ".waveform_module");
    String wave = temp("wave");
    line(wave + " = x");
    line("x = " + hidden);
    noise(g.noiseModule(), c, path + ".noise_module");
    String noise = temp("noise");
    line(noise + " = x");
    line("x = " + wave);
    amplitudeModulation(c);
    line("x = torch.tanh(x + " + noise + ")");
  }

  private void amplitudeAndTanh(GeneratorV2Config c) {
    amplitudeModulation(c);
    line("x = torch.tanh(x)");
  }

  private void amplitudeModulation(GeneratorV2Config c) {
    if (c.amplitudeModulation()) {
      line("x = x[:, :x.shape[1] // 2] * torch.sigmoid(x[:, x.shape[1] // 2:])");
    }
  }

  /** Filtered uniform noise from the decoder's hidden state, as {@code FilteredNoise} makes it. */
  private void noise(NoiseGeneratorV2 n, GeneratorV2Config c, String path) {
    layer(n.children().get("net"), path + ".net");
    int bands = c.outputChannels();
    int noiseBands = c.noise().noiseBands();
    int length = n.targetSize();
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
}
