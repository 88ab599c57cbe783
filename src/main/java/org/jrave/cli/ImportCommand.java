package org.jrave.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrave.engine.Engine;
import org.jrave.engine.TensorScope;
import org.jrave.interop.RunImporter;
import org.jrave.model.io.ModelFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrave import}: a reference training run (config.gin + Lightning .ckpt) to a jrave model file. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Convert a reference RAVE training run (a folder with config.gin and a .ckpt) into a jrave model file.")
public final class ImportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN", description = "run folder (newest .ckpt inside is used) or a .ckpt file")
  Path run;

  @Option(names = {"-o", "--output", "--out"}, required = true, paramLabel = "MODEL", description = "jrave model file to write")
  Path out;

  @Option(names = "--ema", description = "use the EMA weights stored by the EMA callback")
  boolean ema;

  @Override
  public Integer call() {
    Engine.ensureInitialized();
    try (TensorScope scope = new TensorScope()) {
      RunImporter.Imported imported = RunImporter.importRun(run, ema);
      try (var model = imported.model()) {
        ModelFile.save(model, out);
        System.err.printf("imported %s (step %d, %s, %d channel(s), %d Hz) -> %s%n", imported.checkpoint(),
            imported.globalStep(), model.config().name(), model.config().channels(), model.config().sampleRate(), out);
      }
    } catch (IOException e) {
      throw new UserError("cannot import " + run + ": " + e.getMessage(), e);
    }
    return 0;
  }
}
