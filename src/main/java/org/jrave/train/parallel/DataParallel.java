package org.jrave.train.parallel;

import java.util.ArrayList;
import java.util.List;
import org.jrave.data.Shard;
import org.jrave.engine.Device;
import org.jrave.engine.Module;
import org.jrave.engine.NoGrad;
import org.jrave.engine.Parameter;
import org.jrave.engine.ProcessGroup;
import org.jrave.engine.Tensor;
import org.jrave.engine.TensorScope;
import org.jrave.train.StepReduction;
import org.jrave.train.loss.BatchMean;

/**
 * This process's seat in a data-parallel run: rank {@code r} of {@code N} processes that each load
 * the {@code r}-th slice of every global batch ({@link #shard()}), compute their part of the step,
 * and join the others through collectives: batch means of the losses, a sum of the gradients in
 * flat buckets, and rank 0's weights at the start. Rank 0 leads: it alone validates and writes logs
 * and checkpoints.
 */
public final class DataParallel implements StepReduction, AutoCloseable {

  /** Gradients are summed in flat buffers of at most this many floats (100 MB), as DDP's buckets. */
  static final long BUCKET_FLOATS = 25L << 20;

  private final ProcessGroup group;
  private long collectiveNanos;
  private long collectiveBytes;
  private long collectiveCalls;

  private DataParallel(ProcessGroup group) {
    this.group = group;
  }

  public static DataParallel join(ProcessGroup.Rendezvous where, Device device) {
    return new DataParallel(ProcessGroup.join(where, device));
  }

  public int rank() {
    return group.rank();
  }

  public int worldSize() {
    return group.worldSize();
  }

  /** Rank 0, the process that validates and writes. */
  public boolean leads() {
    return group.rank() == 0;
  }

  public Shard shard() {
    return new Shard(group.rank(), group.worldSize());
  }

  /**
   * The mean over all ranks' equal slices: this rank's mean plus the others' as a constant, so the
   * gradient flows through this rank's own items only (summed over ranks, the whole batch's).
   */
  @Override
  public BatchMean batchMean() {
    return local -> {
      Tensor total = local.detach().copy();
      sum(total);
      Tensor others = total.sub(local.detach());
      return local.add(others).div(group.worldSize());
    };
  }

  @Override
  public void sumGradients(List<Parameter> parameters) {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      List<Tensor> gradients = new ArrayList<>();
      for (Parameter p : parameters) {
        Tensor g = p.value().requiresGrad() ? p.value().grad() : null;
        if (g != null) {
          gradients.add(g);
        }
      }
      inBuckets(gradients, this::sum);
    }
  }

  /** Time and bytes spent in this rank's sums so far (the communication cost of the run). */
  public record Traffic(long calls, long bytes, double seconds) {}

  public Traffic traffic() {
    return new Traffic(collectiveCalls, collectiveBytes, collectiveNanos / 1e9);
  }

  private void sum(Tensor t) {
    long start = System.nanoTime();
    group.sumInPlace(t);
    collectiveNanos += System.nanoTime() - start;
    collectiveBytes += t.numel() * 4;
    collectiveCalls++;
  }

  /** Overwrites every parameter and buffer of the modules with rank 0's (the common start). */
  public void broadcastFromLeader(Module... modules) {
    try (NoGrad ignored = NoGrad.enter(); TensorScope scope = new TensorScope()) {
      List<Tensor> floats = new ArrayList<>();
      for (Module m : modules) {
        for (Parameter p : m.stateEntries().values()) {
          if (p.value().isFloat()) {
            floats.add(p.value());
          } else {
            group.broadcastFromRankZero(p.value());
          }
        }
      }
      inBuckets(floats, group::broadcastFromRankZero);
    }
  }

  /**
   * Applies an in-place collective to many float tensors through few calls: they are copied into
   * flat buffers of at most {@link #BUCKET_FLOATS}, and the results copied back.
   */
  private static void inBuckets(List<Tensor> tensors, java.util.function.Consumer<Tensor> collective) {
    List<Tensor> bucket = new ArrayList<>();
    long floats = 0;
    for (Tensor t : tensors) {
      if (floats + t.numel() > BUCKET_FLOATS && !bucket.isEmpty()) {
        throughFlatBuffer(bucket, collective);
        bucket.clear();
        floats = 0;
      }
      bucket.add(t);
      floats += t.numel();
    }
    if (!bucket.isEmpty()) {
      throughFlatBuffer(bucket, collective);
    }
  }

  private static void throughFlatBuffer(List<Tensor> tensors, java.util.function.Consumer<Tensor> collective) {
    Tensor flat = Tensor.cat(tensors.stream().map(t -> t.reshape(-1)).toList(), 0);
    collective.accept(flat);
    long at = 0;
    for (Tensor t : tensors) {
      t.copyInPlace(flat.narrow(0, at, t.numel()).reshape(t.shape()));
      at += t.numel();
    }
  }

  /** Whether {@code condition} holds on any rank (e.g. a rank's time limit has passed): all ranks agree. */
  public boolean anyRank(boolean condition) {
    try (TensorScope scope = new TensorScope()) {
      Tensor flag = Tensor.fromFloats(new float[] {condition ? 1f : 0f}, 1);
      sum(flag);
      return flag.toFloatArray()[0] > 0;
    }
  }

  /** Rank 0's value of a small piece of text (e.g. a measured receptive field). */
  public String fromLeader(String key, String value) {
    return group.shareFromRankZero(key, value);
  }

  /**
   * Fails on every rank whose {@code fingerprint} of {@code what} differs from rank 0's (ranks
   * started with different arguments would otherwise train different models).
   */
  public void requireSameAsLeader(String what, String fingerprint) {
    String leader = group.shareFromRankZero("fingerprint/" + what, fingerprint);
    if (!leader.equals(fingerprint)) {
      throw new ProcessGroup.GroupFailure("rank " + rank() + "'s " + what + " differ from rank 0's: start every rank "
          + "with the same arguments (and the same database)", null);
    }
  }

  @Override
  public void close() {
    group.close();
  }
}
