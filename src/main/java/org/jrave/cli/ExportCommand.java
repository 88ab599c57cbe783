package org.jrave.cli;

import org.jrave.io.WriteFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrave.interop.NnTildeExporter;
import org.jrave.interop.onnx.OnnxExporter;
import org.jrave.model.RaveModel;
import org.jrave.model.UnfittedPca;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jrave export}: a jrave model as an nn~ / RAVE VST TorchScript file, or (for an {@code .onnx}
 * output) as a streaming ONNX graph of one method for runtimes without libtorch.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a model as TorchScript (.ts) with the nn~ interface, for nn~ (Max/MSP, Pd) and RAVE VST.",
        "With an .onnx output: a streaming ONNX graph of forward or decode, its caches as explicit inputs and outputs."})
public final class ExportCommand implements Callable<Integer> {
  @Mixin ModelOptions modelOptions;

  @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "FILE.ts|FILE.onnx",
      description = "output file; its extension chooses the format: .ts (TorchScript) or .onnx")
  Path out;

  @Option(names = "--streaming", description = "cached convolutions for block-by-block use (what nn~ and the VST need)")
  boolean streaming;

  @Option(names = "--fidelity", defaultValue = "0.95", paramLabel = "F",
      description = "share of latent variance the exposed latent keeps, 0.1-0.999 (default: ${DEFAULT-VALUE})")
  double fidelity;

  @Option(names = "--prior", paramLabel = "PRIOR",
      description = "a prior from 'jrave train-prior' to bundle as the 'prior' method (temperature in, latents out); "
          + "the exported latent then has the prior's size")
  Path prior;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--method", defaultValue = "forward", paramLabel = "METHOD",
      description = "ONNX only: forward or decode (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--block-frames", defaultValue = "1", paramLabel = "N",
      description = "ONNX only: latent frames per block (default: ${DEFAULT-VALUE})")
  int blockFrames;

  @Override
  public Integer call() {
    boolean onnx = outputFormatIsOnnx();
    try {
      WriteFailure.requireFolder(out);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
    if (onnx) {
      if (prior != null) {
        throw new UserError("--prior works with TorchScript (.ts) exports only");
      }
      return exportOnnx();
    }
    if (modelOptions.model.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ts")) {
      throw new UserError(modelOptions.model + " is already a TorchScript model");
    }
    if (fidelity < 0.1 || fidelity > 0.999) {
      throw new UserError("--fidelity must be between 0.1 and 0.999, got " + fidelity);
    }
    PriorFile.Loaded loaded = loadPrior();
    try (RaveModel model = modelOptions.load(); PriorNetwork network = loaded == null ? null : loaded.network()) {
      model.to(org.jrave.engine.Device.CPU);
      if (loaded != null && spec.commandLine().getParseResult().hasMatchedOption("--fidelity")) {
        throw new UserError("--fidelity and --prior: with a prior the exported latent has the prior's "
            + loaded.network().config().latentSize() + " dimension(s); drop --fidelity");
      }
      NnTildeExporter.Summary s;
      try {
        s = NnTildeExporter.export(model, out, new NnTildeExporter.Options(fidelity, streaming, loaded));
      } catch (IllegalArgumentException e) {
        throw new UserError("cannot bundle the prior " + prior + " with " + modelOptions.model + ": " + e.getMessage(), e);
      } catch (UnsupportedOperationException e) {
        throw new UserError("cannot export " + modelOptions.model + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UserError(e.getMessage(), e);
      }
      java.io.PrintWriter err = spec.commandLine().getErr();
      err.printf("exported %s%s: latent %d of %d dimensions, %d samples per frame, methods %s%s -> %s%n",
          modelOptions.model, streaming ? " (streaming)" : "", s.latentSize(), s.fullLatentSize(), s.ratio(),
          s.methods(), s.latencies().isEmpty() ? "" : ", latency (samples) " + s.latencies(), out);
      if (loaded == null) {
        UnfittedPca.warning(model).ifPresent(err::println);
      }
      err.flush();
    }
    return 0;
  }

  /** The format follows the output's extension; anything else is refused before the model loads. */
  private boolean outputFormatIsOnnx() {
    String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".onnx")) {
      return true;
    }
    if (name.endsWith(".ts")) {
      return false;
    }
    throw new UserError("--output " + out + ": the extension chooses the format: use .ts (TorchScript, for nn~ "
        + "and the RAVE VST) or .onnx (streaming ONNX)");
  }

  private PriorFile.Loaded loadPrior() {
    if (prior == null) {
      return null;
    }
    if (!Files.isRegularFile(prior)) {
      throw new UserError("--prior " + prior + " does not exist or is not a file");
    }
    try {
      return PriorFile.load(prior);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private int exportOnnx() {
    OnnxExporter.Method m = switch (method) {
      case "forward" -> OnnxExporter.Method.FORWARD;
      case "decode" -> OnnxExporter.Method.DECODE;
      default -> throw new UserError("--method must be forward or decode for ONNX, got " + method);
    };
    if (blockFrames < 1) {
      throw new UserError("--block-frames must be at least 1, got " + blockFrames);
    }
    try (RaveModel model = modelOptions.load()) {
      model.to(org.jrave.engine.Device.CPU);
      OnnxExporter.Signature s = OnnxExporter.export(model, m, blockFrames, out);
      System.err.printf("exported %s %s as streaming ONNX: blocks of %d samples, %d inputs (%d caches) -> %s%n",
          modelOptions.model, method, s.blockSamples(), s.inputs().size(),
          s.inputs().keySet().stream().filter(k -> k.startsWith("state.")).count(), out);
    } catch (UnsupportedOperationException e) {
      throw new UserError("cannot export " + modelOptions.model + " to ONNX: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UserError(WriteFailure.of(out, e).getMessage(), e);
    }
    return 0;
  }
}
