package org.jrave.streaming.graph;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads (the caller plus {@code threads - 1} helpers) that share the chunks of one
 * {@link Task} and return when all chunks are done. Built for many short parallel steps per block:
 * helpers spin briefly between steps (a hand-off then costs well under a microsecond) and park when
 * the stream is idle, so a stream waiting for its next audio block costs no CPU.
 *
 * <p>Chunks are claimed, not assigned: whoever runs takes the next one. On a busy machine a helper
 * that is not scheduled in time simply takes none, and the caller does the step alone instead of
 * waiting for it. Nothing is allocated per step.
 */
public final class Workers implements AutoCloseable {

  /** One parallel step, cut in {@code chunks} pieces: do piece {@code chunk}. */
  @FunctionalInterface
  public interface Task {
    void run(int chunk, int chunks);
  }

  /** How long an idle helper spins before parking. */
  private static final long SPIN_NANOS = 200_000;
  /** Chunks per thread: enough to even out uneven progress, few enough to keep claims cheap. */
  private static final int CHUNKS_PER_THREAD = 4;

  private final int size;
  private final Thread[] helpers;
  private final AtomicIntegerArray parked;
  /** (generation << 32) | next unclaimed chunk of the current step. */
  private final AtomicLong claims = new AtomicLong();
  private final AtomicInteger done = new AtomicInteger();
  private Task task;
  private int chunks;
  private long generation;
  private volatile boolean closed;
  private volatile RuntimeException failure;

  public Workers(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
    }
    this.size = threads;
    this.helpers = new Thread[threads - 1];
    this.parked = new AtomicIntegerArray(Math.max(1, threads - 1));
    for (int i = 0; i < helpers.length; i++) {
      int id = i;
      helpers[i] = Thread.ofPlatform().daemon().name("jrave-stream-" + (id + 1)).unstarted(() -> loop(id));
      helpers[i].setPriority(Thread.MAX_PRIORITY);
      helpers[i].start();
    }
  }

  public int size() {
    return size;
  }

  /** Runs every chunk of {@code t} on the team and waits until all are done. */
  public void run(Task t) {
    run(t, chunksPerStep());
  }

  /** How many chunks {@link #run(Task)} cuts a step into. */
  public int chunksPerStep() {
    return size == 1 ? 1 : size * CHUNKS_PER_THREAD;
  }

  /** Runs {@code t} cut in {@code pieces} chunks. */
  public void run(Task t, int pieces) {
    if (size == 1 || pieces == 1) {
      for (int c = 0; c < pieces; c++) {
        t.run(c, pieces);
      }
      return;
    }
    task = t;
    chunks = pieces;
    done.set(0);
    generation++;
    // Publishes task, chunks and the reset count (written above) with the new generation.
    claims.set(generation << 32);
    for (int i = 0; i < helpers.length; i++) {
      if (parked.get(i) != 0) {
        LockSupport.unpark(helpers[i]);
      }
    }
    RuntimeException own = null;
    try {
      work(generation);
    } catch (RuntimeException e) {
      own = e;
    }
    while (done.get() < pieces) {
      Thread.onSpinWait();
    }
    RuntimeException helperFailure = failure;
    if (own != null || helperFailure != null) {
      failure = null;
      throw own != null ? own : helperFailure;
    }
  }

  /** Claims and runs chunks of generation {@code g} until none is left. */
  private void work(long g) {
    while (true) {
      long c = claims.get();
      if ((c >>> 32) != g) {
        return;
      }
      int next = (int) c;
      int pieces = chunks;
      if (next >= pieces) {
        return;
      }
      if (claims.compareAndSet(c, c + 1)) {
        try {
          task.run(next, pieces);
        } catch (RuntimeException e) {
          failure = e;
        } finally {
          done.incrementAndGet();
        }
      }
    }
  }

  private void loop(int id) {
    long seen = 0;
    while (!closed) {
      long spinStart = System.nanoTime();
      long g;
      while ((g = claims.get() >>> 32) == seen && !closed) {
        if (System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked.set(id, 1);
          if (claims.get() >>> 32 == seen && !closed) {
            LockSupport.park(this);
          }
          parked.set(id, 0);
        }
      }
      seen = g;
      work(g);
    }
  }

  /** The share {@code [from, to)} of {@code n} items for {@code chunk}, in multiples of {@code grain}. */
  static int from(int n, int grain, int chunk, int chunks) {
    int units = (n + grain - 1) / grain;
    return Math.min(n, (int) ((long) units * chunk / chunks) * grain);
  }

  static int to(int n, int grain, int chunk, int chunks) {
    return from(n, grain, chunk + 1, chunks);
  }

  @Override
  public void close() {
    closed = true;
    for (Thread h : helpers) {
      LockSupport.unpark(h);
    }
    for (Thread h : helpers) {
      try {
        h.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
