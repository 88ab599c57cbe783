package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.inference.AudioCodec;
import org.jrave.inference.NativeCodec;
import org.jrave.interop.TorchScriptCodec;
import org.jrave.interop.TorchScriptModel;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares: which model, where, with how many threads. */
public final class ModelOptions {

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
      description = "a jrave model file, a run folder of 'jrave train' (its best model) or one of its "
          + "checkpoints/*.ckpt, a reference run folder with config.gin and .safetensors weights, "
          + "or an nn~ TorchScript export (.ts)")
  Path model;

  @Option(names = "--ema", description = "with a checkpoint of 'jrave train': its EMA weights (the run needs --ema)")
  boolean ema;

  @Option(names = "--device", defaultValue = "cpu", paramLabel = "DEVICE",
      description = "cpu, cuda or cuda:N (CUDA needs the build with -Pcuda) (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--threads", paramLabel = "N",
      description = "torch threads (default: all cores)")
  Integer threads;

  public Device device() {
    try {
      Device d = Device.parse(device);
      if (d.kind() == Device.Kind.CUDA && !Engine.cudaAvailable()) {
        throw new UserError("--device " + device + ": no CUDA device is available to this build; "
            + "use --device cpu, or build with ./mvnw -Pcuda package on a machine with an NVIDIA GPU");
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new UserError("--device: " + e.getMessage());
    }
  }

  /**
   * Loads the model as a codec: an nn~ TorchScript export ({@code .ts}, CPU) or a native model
   * (see {@link #load()}).
   */
  public AudioCodec loadCodec() {
    if (isTorchScript()) {
      return new TorchScriptCodec(loadTorchScript());
    }
    return new NativeCodec(load(), device());
  }

  /** Whether {@code --model} names an nn~ TorchScript file ({@code .ts}). */
  public boolean isTorchScript() {
    return model.getFileName() != null
        && model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ts");
  }

  /** Initialises the engine and opens the {@code .ts} model (CPU). */
  public TorchScriptModel loadTorchScript() {
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    if (ema) {
      throw new UserError("--ema picks the averaged weights of a jrave training checkpoint; " + model
          + " is a TorchScript export: drop --ema");
    }
    if (device().kind() != Device.Kind.CPU) {
      throw new UserError("--device " + device + ": TorchScript models run on the cpu in this jrave");
    }
    try {
      return TorchScriptModel.open(model);
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  /** Initialises the engine and loads the model onto the chosen device, in eval mode. */
  public RaveModel load() {
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    Device d = device();
    try {
      RaveModel m = ModelLoader.load(model, ema);
      m.to(d);
      m.eval();
      return m;
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
