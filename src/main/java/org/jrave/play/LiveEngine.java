package org.jrave.play;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.jrave.streaming.BlockProcessor;

/**
 * The live loop on its own audio thread: read a block from the input, run the model's real-time
 * processor on it, write the result to the output; counts blocks, underruns and the time each
 * block takes. Latent edits reach the processor through its latent edit, from any thread.
 */
public final class LiveEngine implements AutoCloseable {

  private final BlockProcessor processor;
  private final AudioInput input;
  private final AudioOutput output;
  private final long maxBlocks;
  private final Thread thread;
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean running = true;
  private final long startNanos = System.nanoTime();
  // Written by the audio thread only, read by others (monotonic counters; a torn read of a long is
  // harmless for display, but volatile keeps them exact).
  private volatile long blocks;
  private volatile long lateBlocks;
  private volatile long totalNanos;
  private volatile long maxNanos;

  /**
   * @param maxBlocks stop by itself after this many blocks ({@code Long.MAX_VALUE}: until stopped)
   */
  public LiveEngine(BlockProcessor processor, AudioInput input, AudioOutput output, long maxBlocks) {
    this.processor = processor;
    this.input = input;
    this.output = output;
    this.maxBlocks = maxBlocks;
    this.thread = new Thread(this::loop, "jrave-audio");
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.setDaemon(true);
  }

  public LiveEngine start() {
    thread.start();
    return this;
  }

  /** Input block + model latency + output buffer, in samples. */
  public int latencySamples() {
    return processor.blockSize() + processor.latency() + output.bufferedSamples();
  }

  public double latencyMillis() {
    return 1000.0 * latencySamples() / processor.sampleRate();
  }

  private void loop() {
    int channels = processor.channels();
    int block = processor.blockSize();
    float[][] in = new float[channels][block];
    float[][] out = new float[channels][block];
    long budget = 1_000_000_000L * block / processor.sampleRate();
    try {
      // Warm-up: the first blocks allocate and tune kernels; run them before the clock matters.
      for (int i = 0; i < 2; i++) {
        processor.process(in, out);
      }
      processor.reset();
      while (running && blocks < maxBlocks) {
        input.read(in);
        long t0 = System.nanoTime();
        processor.process(in, out);
        long took = System.nanoTime() - t0;
        output.write(out);
        totalNanos += took;
        maxNanos = Math.max(maxNanos, took);
        if (took > budget) {
          lateBlocks++;
        }
        blocks++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      failure.set(t);
    } finally {
      finished.countDown();
    }
  }

  /** Waits until the loop ends by itself (block limit, failure) or is stopped. */
  public void await() throws InterruptedException {
    finished.await();
  }

  public boolean isRunning() {
    return finished.getCount() > 0;
  }

  /** The failure that ended the loop, if any. */
  public Throwable failure() {
    return failure.get();
  }

  public void stop() throws InterruptedException {
    running = false;
    if (!finished.await(2, java.util.concurrent.TimeUnit.SECONDS)) {
      thread.interrupt();
      finished.await();
    }
  }

  public LiveStats stats() {
    long n = blocks;
    double budget = 1000.0 * processor.blockSize() / processor.sampleRate();
    return new LiveStats(n, output.underruns(), lateBlocks, n == 0 ? 0 : totalNanos / 1e6 / n, maxNanos / 1e6, budget,
        (System.nanoTime() - startNanos) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
