package org.jrave.data;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The train/validation split of spec §6.5: 98 % for training, at most 1000 items for validation,
 * at least one for training. The reference draws the permutation from torch's generator seeded 42;
 * jrave cannot reproduce that generator without libtorch, so it uses its own seeded Fisher-Yates
 * shuffle: the rule and sizes are the reference's, the assignment of items differs.
 */
public record DatasetSplit(int[] train, int[] validation) {
  public static final long DEFAULT_SEED = 42;

  /** Latent frames the PCA at the end of validation needs (the largest shipped latent, 128). */
  static final int PCA_ROWS = 128;
  /** The largest compression of the shipped configs (v1/v2: 16 bands x 4·4·4·2). */
  static final int MAX_COMPRESSION = 2048;

  public static DatasetSplit of(int n, long seed) {
    int nVal = validationSize(n);
    int[] perm = IntStream.range(0, n).toArray();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int nTrain = n - nVal;
    return new DatasetSplit(java.util.Arrays.copyOf(perm, nTrain), java.util.Arrays.copyOfRange(perm, nTrain, n));
  }

  public static int validationSize(int n) {
    if (n <= 0) {
      return 0;
    }
    int nTrain = Math.max(98 * n / 100, 1);
    return Math.min(1000, n - nTrain);
  }

  /**
   * The smallest number of examples that yield enough latent frames for the latent PCA, for crops
   * of {@code nSignal} samples (one crop of nSignal/2048 frames per example): validation tops its
   * frames up from training batches, so every example counts (a partial last training batch is
   * left out, so large batches may need a few more).
   */
  public static int minimumExamplesForPca(int nSignal) {
    int framesPerItem = Math.max(1, nSignal / MAX_COMPRESSION);
    return (PCA_ROWS + framesPerItem - 1) / framesPerItem;
  }
}
