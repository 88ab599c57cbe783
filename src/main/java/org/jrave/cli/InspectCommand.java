package org.jrave.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.jrave.interop.TorchScriptModel;
import org.jrave.model.RaveModel;
import org.jrave.model.UnfittedPca;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code jrave inspect}: what a model file is, what it takes and what it gives. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Describe a model: a jrave model, a reference run folder or an nn~ TorchScript file (.ts).")
public final class InspectCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  private static final List<String> SCALARS = List.of("n_channels", "target_channels", "latent_size",
      "full_latent_size", "input_mode", "output_mode", "streaming", "encode_latency", "decode_latency",
      "forward_latency");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (modelOptions.isTorchScript()) {
      try (TorchScriptModel m = modelOptions.loadTorchScript()) {
        out.printf("%s: nn~ TorchScript model, %d Hz%n", m.file(), m.sampleRate());
        out.println("methods:");
        m.methods().values().forEach(s -> out.printf("  %-8s [%d channels, ratio %d] -> [%d channels, ratio %d]%n",
            s.name(), s.inChannels(), s.inRatio(), s.outChannels(), s.outRatio()));
        if (!m.attributes().isEmpty()) {
          out.println("attributes:");
          m.attributes().values().forEach(a -> out.printf("  %-14s %-5s = %s%n", a.name(), a.type(), m.getAttribute(a.name())));
        }
        for (String name : SCALARS) {
          m.scalar(name).ifPresent(v -> out.printf("%s: %s%n", name, v));
        }
      }
    } else {
      try (RaveModel m = modelOptions.load()) {
        var c = m.config();
        out.printf("%s: jrave model %s, %d Hz, %d channel(s), latent %d, %d samples per latent frame, %,d parameters%n",
            modelOptions.model, c.name(), c.sampleRate(), c.channels(), c.latentSize(), m.ratio(), m.parameterCount());
        UnfittedPca.warning(m).ifPresent(out::println);
      }
    }
    out.flush();
    return 0;
  }
}
