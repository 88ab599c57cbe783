package org.jrave.data;

/**
 * This process's part of every training batch in data-parallel training: shard {@code index} of
 * {@code count} takes the {@code index}-th of {@code count} equal slices of each global batch.
 * Items keep their global positions (and so their random crops and augmentations), so the slices
 * of all shards together are exactly the batch one process would load.
 */
public record Shard(int index, int count) {

  /** The whole batch: one process. */
  public static final Shard ALL = new Shard(0, 1);

  public Shard {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
    }
  }

  /** Items of a global batch this shard takes; the batch must split evenly. */
  public int itemsOf(int globalBatch) {
    if (globalBatch % count != 0) {
      throw new IllegalArgumentException("a batch of " + globalBatch + " does not split into " + count
          + " equal parts: give a batch size that is a multiple of " + count);
    }
    return globalBatch / count;
  }

  /** Position in the global batch of this shard's first item. */
  public int firstItemOf(int globalBatch) {
    return index * itemsOf(globalBatch);
  }
}
