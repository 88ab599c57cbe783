package org.jrave.streaming.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model prepared for streaming blocks of one size: signals allocated once, kernels in the order
 * they run. Per block: {@link #startBlock()} slides every signal's history, the caller writes the
 * input signals' blocks, {@link #run()} runs every kernel, and the caller reads the output's block.
 * Nothing is allocated per block (bridged layers aside), and the state is nothing but the signals'
 * histories: {@link #reset()}, {@link #snapshot()} and {@link #restore} act on exactly that.
 */
public final class BlockGraph implements AutoCloseable {
  private final List<Signal> inputs;
  private final Signal output;
  private final List<Signal> signals;
  private final Kernel[] kernels;
  private final Signal[] produced;
  private final GraphBuilder.NoiseSetting noise;
  private final Workers ownWorkers;
  private Workers workers;
  private boolean started;
  private long[] profile;

  BlockGraph(List<Signal> inputs, Signal output, List<Signal> signals, List<Kernel> kernels, List<Signal> produced,
      GraphBuilder.NoiseSetting noise) {
    this.inputs = List.copyOf(inputs);
    this.output = output;
    this.signals = List.copyOf(signals);
    this.kernels = kernels.toArray(Kernel[]::new);
    this.produced = produced.toArray(Signal[]::new);
    this.noise = noise;
    this.ownWorkers = new Workers(1);
    this.workers = ownWorkers;
  }

  /** Runs the kernels on this team (owned by the caller, which may share it between graphs). */
  public void setWorkers(Workers team) {
    ownWorkers.close();
    this.workers = team;
  }

  public List<Signal> inputs() {
    return inputs;
  }

  public Signal output() {
    return output;
  }

  public GraphBuilder.NoiseSetting noise() {
    return noise;
  }

  /** Slides every signal's history by the previous block; call before writing the inputs. */
  public void startBlock() {
    if (started) {
      for (Signal s : signals) {
        s.advance();
      }
    }
    started = true;
  }

  /** Runs every kernel on the inputs' current blocks. */
  public void run() {
    for (Signal in : inputs) {
      in.produced();
    }
    long[] times = profile;
    for (int i = 0; i < kernels.length; i++) {
      long t0 = times == null ? 0 : System.nanoTime();
      kernels[i].run(workers);
      produced[i].produced();
      if (times != null) {
        times[i] += System.nanoTime() - t0;
      }
    }
  }

  /** Describes every kernel to {@code visitor}, in run order. */
  public void accept(KernelVisitor visitor) {
    for (Kernel k : kernels) {
      k.accept(visitor);
    }
  }

  /** Starts (or stops, with false) adding up each kernel's time; see {@link #profile()}. */
  public void setProfiling(boolean on) {
    profile = on ? new long[kernels.length] : null;
  }

  /** Nanoseconds spent in each kernel since profiling started, by kernel name, in run order. */
  public Map<String, Long> profile() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (int i = 0; i < kernels.length; i++) {
      out.put(kernels[i].toString(), profile == null ? 0L : profile[i]);
    }
    return out;
  }

  /** Floats held by the graph's signals (fixed once built). */
  public long bufferedValues() {
    long n = 0;
    for (Signal s : signals) {
      n += s.data().length;
    }
    return n;
  }

  /** Forgets all history: the next block is processed as if preceded by silence. */
  public void reset() {
    for (Signal s : signals) {
      s.reset();
    }
    for (Kernel k : kernels) {
      k.reset();
    }
    started = false;
  }

  public Snapshot snapshot() {
    List<Signal.State> states = new ArrayList<>();
    for (Signal s : signals) {
      states.add(s.save());
    }
    return new Snapshot(this, states, started);
  }

  public void restore(Snapshot snapshot) {
    if (snapshot.graph != this) {
      throw new IllegalArgumentException("a snapshot can only be restored into the stream it was taken from");
    }
    for (int i = 0; i < signals.size(); i++) {
      signals.get(i).restore(snapshot.signals.get(i));
    }
    started = snapshot.started;
  }

  @Override
  public void close() {
    ownWorkers.close();
    for (Kernel k : kernels) {
      k.close();
    }
  }

  /** The state of a graph at one moment (plain arrays: nothing to free). */
  public static final class Snapshot implements AutoCloseable {
    private final BlockGraph graph;
    private final List<Signal.State> signals;
    private final boolean started;

    private Snapshot(BlockGraph graph, List<Signal.State> signals, boolean started) {
      this.graph = graph;
      this.signals = signals;
      this.started = started;
    }

    @Override
    public void close() {
      // Kept AutoCloseable so callers need not change if a snapshot ever holds native state again.
    }
  }
}
