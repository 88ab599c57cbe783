package org.jrave.engine;

import java.time.Duration;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.AllreduceOptions;
import org.bytedeco.pytorch.Backend;
import org.bytedeco.pytorch.BroadcastOptions;
import org.bytedeco.pytorch.GlooDeviceVector;
import org.bytedeco.pytorch.PrefixStore;
import org.bytedeco.pytorch.ProcessGroupGloo;
import org.bytedeco.pytorch.ReduceOp;
import org.bytedeco.pytorch.Store;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.Work;

/**
 * A group of processes that train one model together, on PyTorch's own distributed engine (c10d):
 * a {@link TCPStore} served by rank 0 for the rendezvous, and a Gloo (CPU, TCP) or NCCL (CUDA)
 * backend for the collectives. The wrapper exposes only what data-parallel training needs:
 * broadcast from rank 0, sum over ranks, and small strings through the store.
 *
 * <p>Every collective blocks until all ranks have called it, or fails with {@link GroupFailure}
 * when a peer is gone or the timeout passes: a rank never hangs on a dead peer.
 *
 * <p>Lifetime: c10d's stores and backends are shared inside libtorch through intrusive reference
 * counts (the prefix store holds the store, the backend holds the prefix store). Freeing them from
 * Java as well, by {@code close()} or by the garbage collector, frees them twice and corrupts the
 * native heap (seen: a JVM that deadlocked on exit). So they are pinned for the life of the
 * process, which is the life of a training run; {@link #close()} only waits for the other ranks.
 */
public final class ProcessGroup implements AutoCloseable {

  /** A collective or the rendezvous failed: a peer died, is unreachable, or disagrees. */
  public static final class GroupFailure extends RuntimeException {
    public GroupFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Where the group meets: rank 0 listens on {@code host:port}, the others connect to it. Ranks wait
   * {@code timeout} for each other to join; a collective waits at least {@link #COLLECTIVE_TIMEOUT}
   * (the other ranks wait in one while rank 0 validates and writes a checkpoint).
   */
  public record Rendezvous(String host, int port, int rank, int worldSize, Duration timeout) {
    public Rendezvous {
      if (worldSize < 1 || rank < 0 || rank >= worldSize) {
        throw new IllegalArgumentException("rank " + rank + " is outside a world of " + worldSize);
      }
    }

    Duration collectiveTimeout() {
      return timeout.compareTo(COLLECTIVE_TIMEOUT) > 0 ? timeout : COLLECTIVE_TIMEOUT;
    }

    boolean loopback() {
      return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }
  }

  static final Duration COLLECTIVE_TIMEOUT = Duration.ofMinutes(30);

  private final Rendezvous where;
  private final Store store;
  private final Backend backend;

  private ProcessGroup(Rendezvous where, Store store, Backend backend) {
    this.where = where;
    this.store = store;
    this.backend = backend;
  }

  /**
   * Joins (rank 0: opens) the group; returns once every rank has joined. Gloo for the CPU, NCCL
   * when {@code device} is CUDA.
   */
  public static ProcessGroup join(Rendezvous where, Device device) {
    Engine.ensureInitialized();
    Store store = openStore(where);
    checkWorldSize(store, where);
    Backend backend;
    try {
      Store prefixed = pinned(new PrefixStore("jrave/backend", store));
      backend = pinned(device.isCuda() ? nccl(prefixed, where) : gloo(prefixed, where));
    } catch (RuntimeException e) {
      throw new GroupFailure("the " + where.worldSize() + " ranks did not all join at " + where.host() + ":"
          + where.port() + " within " + where.timeout().toSeconds() + " s: " + firstLine(e), e);
    }
    return new ProcessGroup(where, store, backend);
  }

  private static Store openStore(Rendezvous where) {
    TCPStoreOptions options = new TCPStoreOptions();
    options.port((short) where.port());
    options.isServer(where.rank() == 0);
    options.waitWorkers(false);
    options.useLibUV(false);
    options.timeout(new Milliseconds(where.timeout().toMillis()));
    try {
      return pinned(new TCPStore(where.host(), pinned(options)));
    } catch (RuntimeException e) {
      String why = firstLine(e);
      if (where.rank() == 0) {
        throw new GroupFailure("rank 0 cannot listen on " + where.host() + ":" + where.port()
            + (why.toLowerCase(java.util.Locale.ROOT).contains("in use") ? " (the port is already in use)" : "")
            + ": " + why + "; choose another port with --master HOST:PORT", e);
      }
      throw new GroupFailure("rank " + where.rank() + " could not reach the master at " + where.host() + ":"
          + where.port() + " within " + where.timeout().toSeconds() + " s: " + why
          + "; check that rank 0 runs and that the address is reachable from this machine", e);
    }
  }

  /** Rank 0 publishes the world size; every other rank compares it with its own. */
  private static void checkWorldSize(Store store, Rendezvous where) {
    try {
      if (where.rank() == 0) {
        store.set("jrave/world_size", Integer.toString(where.worldSize()));
      } else {
        String theirs = text(store.get("jrave/world_size"));
        if (!theirs.equals(Integer.toString(where.worldSize()))) {
          throw new GroupFailure("rank " + where.rank() + " was started with --world-size " + where.worldSize()
              + " but rank 0 with --world-size " + theirs + ": give every rank the same --world-size", null);
        }
      }
    } catch (GroupFailure e) {
      throw e;
    } catch (RuntimeException e) {
      throw new GroupFailure("rank " + where.rank() + " found no rank 0 at " + where.host() + ":" + where.port()
          + " within " + where.timeout().toSeconds() + " s: " + firstLine(e), e);
    }
  }

  private static Backend gloo(Store store, Rendezvous where) {
    // The join is bounded by the join timeout; collectives get the longer one once all are in.
    ProcessGroupGloo.Options options = pinned(
        ProcessGroupGloo.Options.create(new Milliseconds(where.timeout().toMillis())));
    GlooDeviceVector devices = pinned(new GlooDeviceVector(1));
    String iface = System.getenv("GLOO_SOCKET_IFNAME");
    devices.put(0, iface != null && !iface.isBlank() ? ProcessGroupGloo.createDeviceForInterface(iface)
        : where.loopback() ? ProcessGroupGloo.createDeviceForHostname("127.0.0.1")
        : ProcessGroupGloo.createDefaultDevice());
    options.devices(devices);
    options.threads(2);
    ProcessGroupGloo gloo = new ProcessGroupGloo(store, where.rank(), where.worldSize(), options);
    gloo.setTimeout(new Milliseconds(where.collectiveTimeout().toMillis()));
    return gloo;
  }

  private static Backend nccl(Store store, Rendezvous where) {
    return new org.bytedeco.pytorch.nccl.ProcessGroupNCCL(store, where.rank(), where.worldSize());
  }

  public int rank() {
    return where.rank();
  }

  public int worldSize() {
    return where.worldSize();
  }

  /** Replaces a contiguous tensor (in place) by its sum over the ranks. */
  public void sumInPlace(Tensor tensor) {
    run("sum", () -> {
      AllreduceOptions options = new AllreduceOptions();
      options.reduceOp(new ReduceOp(ReduceOp.RedOpType.SUM));
      return backend.allreduce(vector(tensor), options);
    });
  }

  /** Overwrites a contiguous tensor (in place) with rank 0's. */
  public void broadcastFromRankZero(Tensor tensor) {
    run("broadcast", () -> {
      BroadcastOptions options = new BroadcastOptions();
      options.rootRank(0);
      return backend.broadcast(vector(tensor), options);
    });
  }

  /** Rank 0 publishes {@code value} under {@code key}; the others wait for it and return it. */
  public String shareFromRankZero(String key, String value) {
    try {
      if (rank() == 0) {
        store.set("jrave/shared/" + key, value);
        return value;
      }
      return text(store.get("jrave/shared/" + key));
    } catch (RuntimeException e) {
      throw new GroupFailure("rank " + rank() + " did not receive '" + key + "' from rank 0: " + firstLine(e), e);
    }
  }

  private void run(String what, java.util.function.Supplier<Work> start) {
    try (org.bytedeco.javacpp.PointerScope scope = new org.bytedeco.javacpp.PointerScope()) {
      Work work = start.get();
      work._wait(new Milliseconds(where.collectiveTimeout().toMillis()));
    } catch (RuntimeException e) {
      throw new GroupFailure("rank " + rank() + " lost the group during a " + what + " (a peer died, was killed or "
          + "stalled past the " + where.collectiveTimeout().toSeconds() + " s timeout): " + firstLine(e), e);
    }
  }

  /** c10d's tensor list holds one tensor per local device: this wrapper always passes one. */
  private static TensorVector vector(Tensor tensor) {
    TensorVector v = new TensorVector(1);
    v.put(0, tensor.handle());
    return v;
  }

  private static String text(org.bytedeco.pytorch.ByteVector bytes) {
    byte[] b = new byte[(int) bytes.size()];
    for (int i = 0; i < b.length; i++) {
      b[i] = bytes.get(i);
    }
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).trim();
  }

  /** Never freed from Java (see the class comment). */
  private static <P extends org.bytedeco.javacpp.Pointer> P pinned(P pointer) {
    pointer.retainReference();
    return pointer;
  }

  /** Leaves the group; the native objects stay pinned (see the class comment). */
  @Override
  public void close() {
    // nothing native to free safely
  }
}
