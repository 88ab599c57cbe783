package org.jrave.data;

import java.util.List;
import org.jrave.data.transform.Augmentation;
import org.jrave.data.transform.SignalOptions;

/**
 * Batching and augmentation settings. The defaults are the reference's: batch 8, crops of 131072,
 * phase mangling and dequantisation always on, extra augmentations and signal transforms off.
 */
public record LoaderConfig(int batchSize, int nSignal, List<Augmentation> augmentations, long seed, int workers,
    SignalOptions signal) {
  public static final List<Augmentation> REFERENCE_DEFAULT = List.of(Augmentation.PHASE_MANGLE, Augmentation.DEQUANTIZE);

  public LoaderConfig {
    augmentations = List.copyOf(augmentations);
    signal = signal == null ? SignalOptions.NONE : signal;
    if (batchSize < 1 || nSignal < 1 || workers < 1) {
      throw new IllegalArgumentException("batch size, n_signal and workers must be positive");
    }
  }

  public LoaderConfig(int batchSize, int nSignal, List<Augmentation> augmentations, long seed, int workers) {
    this(batchSize, nSignal, augmentations, seed, workers, SignalOptions.NONE);
  }

  public static LoaderConfig defaults() {
    return new LoaderConfig(8, 131072, REFERENCE_DEFAULT, DatasetSplit.DEFAULT_SEED, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public LoaderConfig withAugmentations(List<Augmentation> a) {
    return new LoaderConfig(batchSize, nSignal, a, seed, workers, signal);
  }

  public LoaderConfig withBatch(int b, int n) {
    return new LoaderConfig(b, n, augmentations, seed, workers, signal);
  }

  public LoaderConfig withSeed(long s) {
    return new LoaderConfig(batchSize, nSignal, augmentations, s, workers, signal);
  }

  public LoaderConfig withWorkers(int w) {
    return new LoaderConfig(batchSize, nSignal, augmentations, seed, w, signal);
  }

  public LoaderConfig withSignal(SignalOptions s) {
    return new LoaderConfig(batchSize, nSignal, augmentations, seed, workers, s);
  }
}
