package org.jrave.cli;

import java.time.Duration;
import org.jrave.engine.ProcessGroup;
import picocli.CommandLine.Option;

/**
 * Options of a data-parallel training run: {@code --nproc} starts the workers of one machine;
 * {@code --world-size}, {@code --rank} and {@code --master} make this process one rank of a run
 * spread over machines (and are what {@code --nproc} gives each worker it starts).
 */
public final class DataParallelOptions {

  @Option(names = "--nproc", defaultValue = "1", paramLabel = "N",
      description = "train with N worker processes on this machine (one per GPU with --device cuda, or CPU processes "
          + "sharing --threads); --batch stays the global batch (default ${DEFAULT-VALUE})")
  int nproc;

  @Option(names = "--world-size", defaultValue = "1", paramLabel = "W",
      description = "processes in a run spread over machines (with --rank and --master; default ${DEFAULT-VALUE})")
  int worldSize;

  @Option(names = "--rank", defaultValue = "0", paramLabel = "R", description = "this process's rank, 0..W-1; rank 0 "
      + "validates and writes the run folder (default ${DEFAULT-VALUE})")
  @ZeroAllowed
  int rank;

  @Option(names = "--master", paramLabel = "HOST:PORT",
      description = "where rank 0 listens and the others connect (e.g. 10.0.0.1:29500)")
  String master;

  @Option(names = "--join-timeout", defaultValue = "300", paramLabel = "SECONDS",
      description = "how long ranks wait for each other to join (default ${DEFAULT-VALUE})")
  int joinTimeout;

  /** Whether this invocation starts local workers rather than training itself. */
  boolean launchesWorkers() {
    return nproc > 1;
  }

  /** Whether this process is one rank of a group. */
  boolean joinsGroup() {
    return worldSize > 1;
  }

  /** The options' rendezvous, or a user error naming the bad option. */
  ProcessGroup.Rendezvous rendezvous() {
    if (nproc > 1) {
      throw new UserError("--nproc starts the ranks itself: give either --nproc N or --world-size/--rank/--master");
    }
    if (rank < 0 || rank >= worldSize) {
      throw new UserError("--rank " + rank + " is outside --world-size " + worldSize + ": ranks run from 0 to "
          + (worldSize - 1));
    }
    if (master == null) {
      throw new UserError("--world-size " + worldSize + " needs --master HOST:PORT, the address where rank 0 listens");
    }
    int colon = master.lastIndexOf(':');
    int port;
    try {
      port = colon > 0 ? Integer.parseInt(master.substring(colon + 1)) : -1;
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new UserError("--master " + master + " is not HOST:PORT (e.g. --master 10.0.0.1:29500)");
    }
    return new ProcessGroup.Rendezvous(master.substring(0, colon), port, rank, worldSize,
        Duration.ofSeconds(joinTimeout));
  }

  void checkSingle() {
    if (rank != 0 || master != null) {
      throw new UserError("--rank and --master belong to a run of several processes: give --world-size W too");
    }
  }
}
