package org.jrave.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset opened for training: its train and validation loaders over the split of spec §6.5. */
public final class TrainingData implements AutoCloseable {
  private final AudioDataset dataset;
  private final DatasetSplit split;
  private final AudioLoader train;
  private final AudioLoader validation;

  private TrainingData(AudioDataset dataset, DatasetSplit split, LoaderConfig config) {
    this.dataset = dataset;
    this.split = split;
    this.train = new AudioLoader(dataset, split.train(), config, true);
    this.validation = new AudioLoader(dataset, split.validation(), config, false);
  }

  /** {@code channels} 0 = the dataset's. The split is seeded with {@link DatasetSplit#DEFAULT_SEED}. */
  public static TrainingData open(Path db, int channels, LoaderConfig config) throws IOException {
    AudioDataset dataset = Datasets.open(db, channels, config.nSignal());
    return new TrainingData(dataset, DatasetSplit.of(dataset.size(), DatasetSplit.DEFAULT_SEED), config);
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

  public AudioLoader validation() {
    return validation;
  }

  @Override
  public void close() {
    train.close();
    validation.close();
    dataset.close();
  }
}
