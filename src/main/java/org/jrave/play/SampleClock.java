package org.jrave.play;

import java.util.concurrent.locks.LockSupport;

/**
 * Wall-clock time counted in samples at a fixed rate, started on first use: what a sound card's
 * crystal does for a real device. Shared by a virtual input and output so they run at one rate.
 */
public final class SampleClock {
  private final int sampleRate;
  private long startNanos = -1;

  public SampleClock(int sampleRate) {
    this.sampleRate = sampleRate;
  }

  public int sampleRate() {
    return sampleRate;
  }

  /** Starts the clock now if it has not started. */
  public synchronized void start() {
    if (startNanos < 0) {
      startNanos = System.nanoTime();
    }
  }

  /** Samples elapsed since the start (0 before it). */
  public synchronized long now() {
    return startNanos < 0 ? 0 : (System.nanoTime() - startNanos) * sampleRate / 1_000_000_000L;
  }

  /** Sleeps until sample position {@code sample} has been reached. */
  public void awaitSample(long sample) throws InterruptedException {
    start();
    long target;
    synchronized (this) {
      target = startNanos + sample * 1_000_000_000L / sampleRate;
    }
    long wait;
    while ((wait = target - System.nanoTime()) > 0) {
      if (wait > 2_000_000) {
        // parkNanos rather than Thread.sleep, which allocates on every call: this runs once a block
        // on the audio thread.
        LockSupport.parkNanos(wait - 1_000_000);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      } else {
        Thread.onSpinWait();
      }
    }
  }
}
