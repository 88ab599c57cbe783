package org.jrave.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jrave.engine.Engine;
import org.jrave.studio.StudioOptions;
import org.jrave.studio.StudioServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jrave studio}: the local web page to watch runs train, hear models and steer their latent space. */
@Command(name = "studio", mixinStandardHelpOptions = true,
    description = {"Serve a local web page to watch runs train, hear models and steer their latent space.",
      "Binds to 127.0.0.1 unless --host says otherwise; on any other address every request needs the token "
          + "printed at start-up."})
public final class StudioCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs", paramLabel = "DIR", description = "a folder of training runs (as 'jrave train --output' makes) to show")
  Path runs;

  @Option(names = {"-m", "--model"}, paramLabel = "MODEL",
      description = "a model to play (jrave model file, run folder, checkpoint or nn~ .ts); repeatable")
  List<Path> models = List.of();

  @ZeroAllowed
  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "TCP port (default: ${DEFAULT-VALUE}; 0: any free port)")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 opens it to the network, token required)")
  String host;

  @Option(names = "--max-upload-mb", defaultValue = "64", paramLabel = "MB",
      description = "largest audio file accepted (default: ${DEFAULT-VALUE})")
  int maxUploadMb;

  @Option(names = "--block", defaultValue = "2048", paramLabel = "N",
      description = "samples per block of the live stream, rounded up to the model's ratio (default: ${DEFAULT-VALUE})")
  int block;

  @Option(names = "--threads", paramLabel = "N", description = "torch threads (default: all cores)")
  Integer threads;

  /** Released to stop a running studio (tests); otherwise it runs until the process is stopped. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (runs == null && models.isEmpty()) {
      throw new UserError("give --runs DIR and/or --model MODEL: the studio shows runs and plays models");
    }
    if (runs != null && !Files.isDirectory(runs)) {
      throw new UserError("--runs " + runs + ": no such folder");
    }
    for (Path m : models) {
      if (!Files.exists(m)) {
        throw new UserError("--model " + m + " does not exist");
      }
    }
    if (port > 65535) {
      throw new UserError("--port " + port + ": give 0 to 65535");
    }
    Engine.initialize(threads == null ? Engine.DEFAULT_THREADS : threads);
    StudioOptions options = new StudioOptions(runs, models, host, port, maxUploadMb * 1048576L, block);
    PrintWriter out = spec.commandLine().getOut();
    StudioServer server;
    try {
      server = StudioServer.start(options);
    } catch (IOException | RuntimeException e) {
      throw new UserError("cannot start the studio on " + host + ":" + port + ": " + rootMessage(e), e);
    }
    // Ctrl-C: stop serving and delete the uploads and renders before the process ends.
    CountDownLatch closed = new CountDownLatch(1);
    Thread onExit = new Thread(() -> {
      stop.countDown();
      try {
        closed.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "studio-shutdown");
    Runtime.getRuntime().addShutdownHook(onExit);
    try (server) {
      out.println("jrave studio: open " + server.url(host));
      if (server.token() != null) {
        out.println("Open to the network: every request needs the token above (keep it private).");
      }
      out.println("Stop with Ctrl-C.");
      out.flush();
      stop.await();
    } finally {
      closed.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is waiting for this
      }
    }
    return 0;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
