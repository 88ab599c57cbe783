package org.jrave.data;

import java.util.List;
import org.jrave.data.transform.Augmentation;

/**
 * Batching and augmentation settings. The defaults are the reference's: batch 8, crops of 131072,
 * phase mangling and dequantisation always on, extra augmentations off.
 */
public record LoaderConfig(int batchSize, int nSignal, List<Augmentation> augmentations, long seed, int workers) {
  public static final List<Augmentation> REFERENCE_DEFAULT = List.of(Augmentation.PHASE_MANGLE, Augmentation.DEQUANTIZE);

  public LoaderConfig {
    augmentations = List.copyOf(augmentations);
    if (batchSize < 1 || nSignal < 1 || workers < 1) {
      throw new IllegalArgumentException("batch size, n_signal and workers must be positive");
    }
  }

  public static LoaderConfig defaults() {
    return new LoaderConfig(8, 131072, REFERENCE_DEFAULT, DatasetSplit.DEFAULT_SEED, Math.max(1, Runtime.getRuntime().availableProcessors()));
  }

  public LoaderConfig withAugmentations(List<Augmentation> a) {
    return new LoaderConfig(batchSize, nSignal, a, seed, workers);
  }

  public LoaderConfig withBatch(int b, int n) {
    return new LoaderConfig(b, n, augmentations, seed, workers);
  }

  public LoaderConfig withSeed(long s) {
    return new LoaderConfig(batchSize, nSignal, augmentations, s, workers);
  }

  public LoaderConfig withWorkers(int w) {
    return new LoaderConfig(batchSize, nSignal, augmentations, seed, w);
  }
}
