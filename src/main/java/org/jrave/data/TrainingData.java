package org.jrave.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset opened for training: its train and validation loaders over the split of spec §6.5. */
public final class TrainingData implements AutoCloseable {
  private final AudioDataset dataset;
  private final DatasetSplit split;
  private final AudioLoader train;
  private final AudioLoader validation;
  private final AudioLoader wholeTrain;

  private TrainingData(AudioDataset dataset, DatasetSplit split, LoaderConfig config, Shard shard) {
    this.dataset = dataset;
    this.split = split;
    this.train = new AudioLoader(dataset, split.train(), config, true, shard);
    this.wholeTrain = shard.count() == 1 ? train : new AudioLoader(dataset, split.train(), config, true);
    this.validation = new AudioLoader(dataset, split.validation(), config, false);
  }

  /** {@code channels} 0 = the dataset's. The split is seeded with {@link DatasetSplit#DEFAULT_SEED}. */
  public static TrainingData open(Path db, int channels, LoaderConfig config) throws IOException {
    return open(db, channels, config, Shard.ALL);
  }

  /** As {@link #open(Path, int, LoaderConfig)}, training batches cut to {@code shard}'s slice. */
  public static TrainingData open(Path db, int channels, LoaderConfig config, Shard shard) throws IOException {
    AudioDataset dataset = Datasets.open(db, channels, config.nSignal());
    return new TrainingData(dataset, DatasetSplit.of(dataset.size(), DatasetSplit.DEFAULT_SEED), config, shard);
  }

  public AudioDataset dataset() {
    return dataset;
  }

  public DatasetSplit split() {
    return split;
  }

  public AudioLoader train() {
    return train;
  }

  /**
   * The training split's whole batches, whatever the shard (validation tops up its latent frames
   * with them, and must see what a single process would).
   */
  public AudioLoader wholeTrainingBatches() {
    return wholeTrain;
  }

  public AudioLoader validation() {
    return validation;
  }

  @Override
  public void close() {
    train.close();
    if (wholeTrain != train) {
      wholeTrain.close();
    }
    validation.close();
    dataset.close();
  }
}
