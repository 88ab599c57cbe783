package org.jrave.play;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jrave.streaming.BlockProcessor;

/**
 * The live loop on two threads. The device thread follows the sound card's clock: it reads each
 * captured block into a hand-off ring, and plays the block captured {@code lead} blocks earlier
 * (one by default), which the model has had that long to compute; it never waits on the model.
 * The inference thread runs the processor on each captured block, in order, and hands the result
 * back. A block not finished when the device needs it is a dropout: the device plays silence
 * instead, and the late block is discarded when it comes (the latency stays fixed). Both hand-offs
 * are lock-free rings of preallocated blocks: nothing is allocated per block. Latent edits reach
 * the processor through its latent edit, from any thread.
 */
public final class LiveEngine implements AutoCloseable {

  private final BlockProcessor processor;
  private final AudioInput input;
  private final AudioOutput output;
  private final long maxBlocks;
  private final int lead;
  private final Thread device;
  private final Thread inference;
  private final BlockRing captured;
  private final BlockRing played;
  private final float[][] silence;
  private final float[][] overflow;
  private final BlockTimes times = new BlockTimes();
  private final CountDownLatch warmedUp = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private volatile long startNanos;
  private volatile long endNanos;
  // Written by one thread each, read by any (monotonic counters).
  private volatile long blocks;
  private volatile long newestCapture = -1;
  private volatile long dropouts;
  private volatile long processed;

  /** The model one block ahead of the device. */
  public LiveEngine(BlockProcessor processor, AudioInput input, AudioOutput output, long maxBlocks) {
    this(processor, input, output, maxBlocks, 1);
  }

  /**
   * @param maxBlocks stop by itself after the device played this many blocks ({@code Long.MAX_VALUE}: until stopped)
   * @param lead blocks the model runs ahead of the device: the time it has per block, and the latency it adds
   */
  public LiveEngine(BlockProcessor processor, AudioInput input, AudioOutput output, long maxBlocks, int lead) {
    if (lead < 1) {
      throw new IllegalArgumentException("the model runs at least one block ahead, got " + lead);
    }
    this.processor = processor;
    this.input = input;
    this.output = output;
    this.maxBlocks = maxBlocks;
    this.lead = lead;
    int channels = processor.channels();
    // Captured: the blocks within the lead, plus one. A model that fell further behind catches up
    // on those only; the rest of its backlog is skipped (its output would be discarded anyway).
    this.captured = new BlockRing(lead + 1, channels, processor.blockSize());
    // Played: the blocks within the lead, plus one being played and one being written.
    this.played = new BlockRing(lead + 2, channels, processor.outputLength());
    this.silence = new float[channels][processor.outputLength()];
    this.overflow = new float[channels][processor.blockSize()];
    this.device = new Thread(this::deviceLoop, "jrave-audio");
    device.setPriority(Thread.MAX_PRIORITY);
    device.setDaemon(true);
    this.inference = new Thread(this::inferenceLoop, "jrave-inference");
    inference.setDaemon(true);
  }

  public LiveEngine start() {
    inference.start();
    device.start();
    return this;
  }

  /** Input block + the blocks inference runs ahead of the device + model latency + output buffer, in samples. */
  public int latencySamples() {
    return (1 + lead) * processor.blockSize() + processor.latency() + output.bufferedSamples();
  }

  /** Blocks the model runs ahead of the device. */
  public int lead() {
    return lead;
  }

  public double latencyMillis() {
    return 1000.0 * latencySamples() / processor.sampleRate();
  }

  // ---------------------------------------------------------------- device thread

  private void deviceLoop() {
    try {
      warmedUp.await();
      startNanos = System.nanoTime();
      for (long n = 0; running && n < maxBlocks; n++) {
        float[][] in = captured.claim();
        if (in == null) {
          input.read(overflow);   // the model is behind: this block is skipped, its turn will be a dropout
          newestCapture = n;
        } else {
          input.read(in);
          captured.publish(n);
          newestCapture = n;
          LockSupport.unpark(inference);
        }
        // Block n - lead was captured lead blocks ago: the model has had that long for it.
        float[][] out = n < lead ? silence : finished(n - lead);
        output.write(out);
        if (out != silence) {
          played.release();
        }
        blocks = n + 1;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    } finally {
      endNanos = System.nanoTime();
      running = false;
      LockSupport.unpark(inference);
    }
  }

  /** Block {@code number} if the model has finished it, else silence (a dropout); older blocks are dropped. */
  private float[][] finished(long number) {
    float[][] b;
    while ((b = played.peek()) != null && played.peekNumber() < number) {
      played.release();
    }
    if (b != null && played.peekNumber() == number) {
      return b;
    }
    dropouts = dropouts + 1;
    return silence;
  }

  // ---------------------------------------------------------------- inference thread

  private void inferenceLoop() {
    long idleNanos = Math.max(100_000, 250_000_000L * processor.blockSize() / processor.sampleRate());
    try {
      warmUp();
      while (running) {
        float[][] in = captured.peek();
        float[][] out = in == null ? null : played.claim();
        if (out == null) {
          // Nothing captured yet (the device thread unparks this one after each capture; an unpark
          // before the park is not lost), or every finished block is still waiting for the device,
          // which does not wake this thread: hence the bound.
          LockSupport.parkNanos(idleNanos);
          if (Thread.interrupted()) {
            return;
          }
          continue;
        }
        long number = captured.peekNumber();
        if (number + lead <= newestCapture) {
          // Already due (the device captured the block it plays this one with): computing it would
          // only make the next ones late too. Skip to the blocks that can still be on time.
          captured.release();
          continue;
        }
        long t0 = System.nanoTime();
        processor.process(in, out);
        times.add(System.nanoTime() - t0);
        captured.release();
        played.publish(number);
        processed = processed + 1;
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
      running = false;
    } finally {
      warmedUp.countDown();
    }
  }

  /** The first blocks allocate and tune kernels: run them before the device clock starts. */
  private void warmUp() {
    float[][] in = new float[processor.channels()][processor.blockSize()];
    float[][] out = new float[processor.channels()][processor.outputLength()];
    for (int i = 0; i < 2; i++) {
      processor.process(in, out);
    }
    processor.reset();
    warmedUp.countDown();
  }

  // ---------------------------------------------------------------- control

  /** Waits until both threads ended: the loop stopped by itself (block limit, failure) or was stopped. */
  public void await() throws InterruptedException {
    device.join();
    inference.join();
  }

  public boolean isRunning() {
    return device.isAlive() || inference.isAlive();
  }

  /** The failure that ended the loop, if any. */
  public Throwable failure() {
    return failure.get();
  }

  /** Stops both threads; returns once the processor is no longer in use. */
  public void stop() throws InterruptedException {
    running = false;
    LockSupport.unpark(inference);
    for (Thread t : new Thread[] {device, inference}) {
      t.join(TimeUnit.SECONDS.toMillis(2));
      if (t.isAlive()) {
        t.interrupt();
        t.join();
      }
    }
  }

  public LiveStats stats() {
    double budget = 1000.0 * processor.blockSize() / processor.sampleRate();
    long start = startNanos;
    long end = device.isAlive() ? System.nanoTime() : endNanos;
    return new LiveStats(blocks, processed, dropouts, output.underruns(), times.percentileMillis(50),
        times.percentileMillis(90), times.percentileMillis(99), times.maxMillis(), budget,
        start == 0 ? 0 : (end - start) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
