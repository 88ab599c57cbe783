package org.jrave.train.parallel;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * {@code --nproc N}: runs a command as N worker processes of this machine, ranks 0..N-1 of one
 * data-parallel group meeting on a free loopback port, and supervises them. The workers are this
 * same program started again (same Java, options and class path) with the rank options appended.
 *
 * <p>A worker that fails or is killed ends the whole run: the others get a grace period to notice
 * the broken group themselves (they print which collective failed), then are killed; the call
 * returns a message naming the rank and how it ended. No worker outlives the launcher.
 */
public final class LocalWorkers {

  /** How long the surviving workers get to end on their own after one has failed. */
  static final Duration GRACE = Duration.ofSeconds(15);

  /** How the run ended: exit status 0 and no message when every worker succeeded. */
  public record Outcome(int exitStatus, String failure) {
    public boolean succeeded() {
      return exitStatus == 0;
    }
  }

  private final String mainClass;

  public LocalWorkers(String mainClass) {
    this.mainClass = mainClass;
  }

  /**
   * Runs {@code args} (the command and its options, without any rank options) as {@code n}
   * workers, each given {@code threadsEach} torch threads and its own {@code rankOptions} (a device).
   */
  public Outcome run(List<String> args, int n, int threadsEach, IntFunction<List<String>> rankOptions)
      throws IOException, InterruptedException {
    int port = freePort();
    List<Process> workers = new ArrayList<>();
    Thread cleanup = new Thread(() -> workers.forEach(Process::destroyForcibly), "jrave-workers-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      for (int rank = 0; rank < n; rank++) {
        List<String> command = new ArrayList<>(javaCommand());
        command.addAll(args);
        command.addAll(List.of("--world-size", Integer.toString(n), "--rank", Integer.toString(rank),
            "--master", "127.0.0.1:" + port, "--threads", Integer.toString(threadsEach)));
        command.addAll(rankOptions.apply(rank));
        workers.add(new ProcessBuilder(command).inheritIO().start());
      }
      return supervise(workers);
    } finally {
      workers.forEach(Process::destroyForcibly);
      try {
        Runtime.getRuntime().removeShutdownHook(cleanup);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private static Outcome supervise(List<Process> workers) throws InterruptedException {
    List<CompletableFuture<Integer>> exits = new ArrayList<>();
    for (Process p : workers) {
      exits.add(p.onExit().thenApply(Process::exitValue));
    }
    int remaining = workers.size();
    boolean[] done = new boolean[workers.size()];
    while (remaining > 0) {
      CompletableFuture<Object> any = CompletableFuture.anyOf(pending(exits, done));
      try {
        any.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e);
      }
      for (int rank = 0; rank < workers.size(); rank++) {
        if (done[rank] || !exits.get(rank).isDone()) {
          continue;
        }
        done[rank] = true;
        remaining--;
        int status = exits.get(rank).join();
        if (status != 0) {
          String failure = "rank " + rank + " " + describe(status) + "; the run was stopped"
              + (rank == 0 ? "" : " (its last checkpoint is intact: continue with --resume)");
          endTheRest(workers, done);
          return new Outcome(status, failure);
        }
      }
    }
    return new Outcome(0, null);
  }

  private static CompletableFuture<?>[] pending(List<CompletableFuture<Integer>> exits, boolean[] done) {
    List<CompletableFuture<Integer>> out = new ArrayList<>();
    for (int i = 0; i < exits.size(); i++) {
      if (!done[i]) {
        out.add(exits.get(i));
      }
    }
    return out.toArray(CompletableFuture<?>[]::new);
  }

  /** Lets the others notice the broken group and end, then kills whoever is left. */
  private static void endTheRest(List<Process> workers, boolean[] done) throws InterruptedException {
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (int rank = 0; rank < workers.size(); rank++) {
      if (done[rank]) {
        continue;
      }
      Process p = workers.get(rank);
      long left = Math.max(0, deadline - System.nanoTime());
      if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** "failed with exit status 2", "was killed (signal 9)". */
  static String describe(int status) {
    if (status > 128 && status < 160) {
      return "was killed (signal " + (status - 128) + ")";
    }
    return "failed with exit status " + status;
  }

  private List<String> javaCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // A debugger's agent cannot listen twice on one port.
      if (!option.startsWith("-agentlib:jdwp")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    return command;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
