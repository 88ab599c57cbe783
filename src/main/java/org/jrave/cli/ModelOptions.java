package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.jrave.engine.Device;
import org.jrave.engine.Engine;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares: which model, where, with how many threads. */
public final class ModelOptions {

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL",
      description = "a jrave model file, or a reference run folder with config.gin and .safetensors weights")
  Path model;

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

  /** Initialises the engine and loads the model onto the chosen device, in eval mode. */
  public RaveModel load() {
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    Device d = device();
    try {
      RaveModel m = ModelLoader.load(model);
      m.to(d);
      m.eval();
      return m;
    } catch (IOException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
