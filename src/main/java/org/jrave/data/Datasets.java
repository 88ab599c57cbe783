package org.jrave.data;

import java.io.IOException;
import java.nio.file.Path;

/** Opens any RAVE dataset database (jrave's, the reference's, lazy or not) as an {@link AudioDataset}. */
public final class Datasets {
  private Datasets() {}

  /**
   * {@code channels} 0 takes the dataset's channel count; more than the dataset has is an error
   * (spec §6.3). {@code nSignal} is the training crop, which sets the lazy windows.
   */
  public static AudioDataset open(Path db, int channels, int nSignal) throws IOException {
    DatasetReader reader = DatasetReader.open(db);
    try {
      if (reader.size() == 0) {
        throw new DatasetException(db + " is an empty dataset; add audio with jrave preprocess --output " + db);
      }
      DatasetRecord first;
      try {
        first = reader.record(0);
      } catch (InvalidRecordException e) {
        throw new DatasetException(db + " is not an AudioExample dataset: " + e.getMessage(), e);
      }
      // metadata.yaml is preferred, but an interrupted or foreign database may lack it: the first record tells.
      int stored = reader.metadata().map(DatasetMetadata::channels)
          .orElse(first instanceof WaveformRecord w ? w.channels() : 1);
      int sr = reader.metadata().map(DatasetMetadata::sr)
          .orElse(first instanceof WaveformRecord w ? w.sampleRate() : 44100);
      if (channels > stored) {
        throw new DatasetException(db + " has " + stored + " channel(s) but " + channels
            + " were requested; use --channels " + stored + " or preprocess again with --channels " + channels);
      }
      int n = channels == 0 ? stored : channels;
      return first instanceof LazyRecord
          ? new LazyAudioDataset(reader, n, sr, nSignal)
          : new LmdbAudioDataset(reader, n, sr);
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw e;
    }
  }
}
