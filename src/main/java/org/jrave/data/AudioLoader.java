package org.jrave.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jrave.data.transform.Pipeline;

/**
 * Batches over a subset of a dataset (a split), items prepared in parallel and a few batches
 * ahead. Deterministic given the seed: every item's randomness comes from its own generator
 * derived from (seed, epoch, position), so thread scheduling never changes a batch.
 * Training mode shuffles every epoch and drops the last partial batch; validation mode keeps the
 * order and the last partial batch (spec §6.5). A training loader can be given a {@link Shard}: it
 * then yields only that shard's slice of each batch (data-parallel training).
 */
public final class AudioLoader implements AutoCloseable {
  private static final int PREFETCH = 2;

  private final AudioDataset dataset;
  private final int[] indices;
  private final LoaderConfig config;
  private final boolean training;
  private final Pipeline pipeline;
  private final ExecutorService pool;
  private final Shard shard;

  public AudioLoader(AudioDataset dataset, int[] indices, LoaderConfig config, boolean training) {
    this(dataset, indices, config, training, Shard.ALL);
  }

  public AudioLoader(AudioDataset dataset, int[] indices, LoaderConfig config, boolean training, Shard shard) {
    if (!training && shard.count() > 1) {
      throw new IllegalArgumentException("only training batches are sharded");
    }
    shard.itemsOf(config.batchSize());
    this.shard = shard;
    this.dataset = dataset;
    this.indices = indices.clone();
    this.config = config;
    this.training = training;
    this.pipeline = Pipeline.of(config.nSignal(), dataset.sampleRate(), config.augmentations(), config.signal());
    this.pool = Executors.newFixedThreadPool(config.workers(), r -> {
      Thread t = new Thread(r, "jrave-loader");
      t.setDaemon(true);
      return t;
    });
  }

  public int batchesPerEpoch() {
    int n = indices.length / config.batchSize();
    return training || indices.length % config.batchSize() == 0 ? n : n + 1;
  }

  /** The batches of one epoch, in order. */
  public Iterator<AudioBatch> epoch(int epoch) {
    return epoch(epoch, 0);
  }

  /**
   * The batches of one epoch from batch {@code firstBatch} on: exactly those {@link #epoch(int)}
   * gives after skipping {@code firstBatch}, without preparing the skipped ones (resuming a run).
   */
  public Iterator<AudioBatch> epoch(int epoch, int firstBatch) {
    int[] order = indices.clone();
    if (training) {
      shuffle(order, new SplittableRandom(mix(config.seed(), epoch, -1)));
    }
    int batches = batchesPerEpoch();
    return new Iterator<>() {
      private final Deque<CompletableFuture<AudioBatch>> ahead = new ArrayDeque<>();
      private int submitted = Math.min(firstBatch, batches);

      @Override
      public boolean hasNext() {
        fill();
        return !ahead.isEmpty();
      }

      @Override
      public AudioBatch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        try {
          return ahead.poll().join();
        } catch (CompletionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : e;
        }
      }

      private void fill() {
        while (submitted < batches && ahead.size() < PREFETCH) {
          int b = submitted++;
          int from = b * config.batchSize() + shard.firstItemOf(config.batchSize());
          int to = Math.min(order.length, from + shard.itemsOf(config.batchSize()));
          ahead.add(batch(Arrays.copyOfRange(order, from, to), epoch, from));
        }
      }
    };
  }

  /** The batches of one epoch handed through an adapter (e.g. to tensors on a device). */
  public <T> Iterator<T> epoch(int epoch, BatchAdapter<T> adapter) {
    Iterator<AudioBatch> it = epoch(epoch);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return adapter.adapt(it.next());
      }
    };
  }

  private CompletableFuture<AudioBatch> batch(int[] items, int epoch, int firstPosition) {
    int channels = dataset.channels();
    int length = config.nSignal();
    float[] out = new float[items.length * channels * length];
    CompletableFuture<?>[] parts = new CompletableFuture<?>[items.length];
    for (int k = 0; k < items.length; k++) {
      int slot = k;
      long itemSeed = mix(config.seed(), epoch, firstPosition + k);
      parts[k] = CompletableFuture.runAsync(() -> {
        float[][] x;
        try {
          x = pipeline.apply(dataset.item(items[slot]), new SplittableRandom(itemSeed));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        for (int c = 0; c < channels; c++) {
          System.arraycopy(x[c], 0, out, (slot * channels + c) * length, length);
        }
      }, pool);
    }
    return CompletableFuture.allOf(parts).thenApply(v -> new AudioBatch(out, items.length, channels, length));
  }

  private static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A well-spread 64-bit seed from three numbers (SplitMix64 finaliser over a combination). */
  static long mix(long seed, long epoch, long position) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + position * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Stops the workers and waits for them, so the dataset can be closed safely afterwards. */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
