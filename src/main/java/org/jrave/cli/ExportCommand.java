package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrave.interop.NnTildeExporter;
import org.jrave.model.RaveModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jrave export}: a jrave model as an nn~ / RAVE VST TorchScript file. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a model as TorchScript (.ts) with the nn~ interface, for nn~ (Max/MSP, Pd) and RAVE VST.")
public final class ExportCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "FILE.ts", description = "output TorchScript file")
  Path out;

  @Option(names = "--streaming", description = "cached convolutions for block-by-block use (what nn~ and the VST need)")
  boolean streaming;

  @Option(names = "--fidelity", defaultValue = "0.95", paramLabel = "F",
      description = "share of latent variance the exposed latent keeps, 0.1-0.999 (default: ${DEFAULT-VALUE})")
  double fidelity;

  @Override
  public Integer call() {
    if (modelOptions.model.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ts")) {
      throw new UserError(modelOptions.model + " is already a TorchScript model");
    }
    if (fidelity < 0.1 || fidelity > 0.999) {
      throw new UserError("--fidelity must be between 0.1 and 0.999, got " + fidelity);
    }
    try (RaveModel model = modelOptions.load()) {
      model.to(org.jrave.engine.Device.CPU);
      NnTildeExporter.Summary s;
      try {
        s = NnTildeExporter.export(model, out, new NnTildeExporter.Options(fidelity, streaming));
      } catch (UnsupportedOperationException e) {
        throw new UserError("cannot export " + modelOptions.model + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UserError(e.getMessage(), e);
      }
      System.err.printf("exported %s%s: latent %d of %d dimensions, %d samples per frame, methods %s%s -> %s%n",
          modelOptions.model, streaming ? " (streaming)" : "", s.latentSize(), s.fullLatentSize(), s.ratio(),
          s.methods(), s.latencies().isEmpty() ? "" : ", latency (samples) " + s.latencies(), out);
    }
    return 0;
  }
}
