package org.jrave.streaming.graph;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads (the caller plus {@code threads - 1} helpers) that run one
 * {@link Task} together and return when all are done. Built for many short parallel steps per
 * block: helpers spin briefly between steps (a hand-off then costs well under a microsecond) and
 * park when the graph is idle, so a stream waiting for its next audio block costs no CPU. Nothing
 * is allocated per step.
 */
public final class Workers implements AutoCloseable {

  /** One parallel step: {@code worker} of {@code workers} does its share. */
  @FunctionalInterface
  public interface Task {
    void run(int worker, int workers);
  }

  /** How long an idle helper spins before parking. */
  private static final long SPIN_NANOS = 200_000;

  private final int size;
  private final Thread[] helpers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile Task task;
  private volatile long generation;
  private volatile boolean closed;
  private final AtomicIntegerArray parked;
  private volatile RuntimeException failure;

  public Workers(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
    }
    this.size = threads;
    this.helpers = new Thread[threads - 1];
    this.parked = new AtomicIntegerArray(Math.max(1, threads - 1));
    for (int i = 0; i < helpers.length; i++) {
      int id = i + 1;
      helpers[i] = Thread.ofPlatform().daemon().name("jrave-stream-" + id).unstarted(() -> loop(id));
      helpers[i].setPriority(Thread.MAX_PRIORITY);
      helpers[i].start();
    }
  }

  public int size() {
    return size;
  }

  /** Runs {@code t} on every thread of the team and waits for all of them. */
  public void run(Task t) {
    if (size == 1) {
      t.run(0, 1);
      return;
    }
    task = t;
    pending.set(size - 1);
    generation = generation + 1;
    for (int i = 0; i < helpers.length; i++) {
      if (parked.get(i) != 0) {
        LockSupport.unpark(helpers[i]);
      }
    }
    RuntimeException own = null;
    try {
      t.run(0, size);
    } catch (RuntimeException e) {
      own = e;
    }
    while (pending.get() != 0) {
      Thread.onSpinWait();
    }
    task = null;
    RuntimeException helperFailure = failure;
    if (own != null || helperFailure != null) {
      failure = null;
      throw own != null ? own : helperFailure;
    }
  }

  private void loop(int id) {
    long seen = 0;
    while (true) {
      long spinStart = System.nanoTime();
      long g;
      while ((g = generation) == seen && !closed) {
        if (System.nanoTime() - spinStart < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          parked.set(id - 1, 1);
          if (generation == seen && !closed) {
            LockSupport.park(this);
          }
          parked.set(id - 1, 0);
        }
      }
      if (closed) {
        return;
      }
      seen = g;
      try {
        task.run(id, size);
      } catch (RuntimeException e) {
        failure = e;
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  /** The share {@code [from, to)} of {@code n} items for {@code worker}, in chunks of {@code grain}. */
  static int from(int n, int grain, int worker, int workers) {
    int chunks = (n + grain - 1) / grain;
    return Math.min(n, (int) ((long) chunks * worker / workers) * grain);
  }

  static int to(int n, int grain, int worker, int workers) {
    return from(n, grain, worker + 1, workers);
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
