package org.jrave.data;

import java.io.IOException;
import org.jrave.audio.ChannelMapper;
import org.jrave.audio.ChannelMode;

/**
 * A non-lazy database: each record is an item, int16 scaled by 1/32767 exactly as the reference
 * (spec §6.3). When fewer channels are requested than stored they are mixed down (the reference
 * instead concatenates them in time, a pitfall jrave does not copy).
 */
public final class LmdbAudioDataset implements AudioDataset {
  private final DatasetReader reader;
  private final int channels;
  private final int sampleRate;

  LmdbAudioDataset(DatasetReader reader, int channels, int sampleRate) {
    this.reader = reader;
    this.channels = channels;
    this.sampleRate = sampleRate;
  }

  @Override
  public int size() {
    return reader.size();
  }

  @Override
  public int channels() {
    return channels;
  }

  @Override
  public int sampleRate() {
    return sampleRate;
  }

  @Override
  public float[][] item(int index) throws IOException {
    DatasetRecord record;
    try {
      record = reader.record(index);
    } catch (InvalidRecordException e) {
      throw new IOException(reader.path() + " record " + index + ": " + e.getMessage(), e);
    }
    if (!(record instanceof WaveformRecord w)) {
      throw new IOException(reader.path() + " record " + index + " is a lazy record in a non-lazy dataset");
    }
    int frames = w.frames();
    float[][] stored = new float[w.channels()][frames];
    short[] s = w.samples();
    for (int c = 0; c < w.channels(); c++) {
      for (int i = 0; i < frames; i++) {
        stored[c][i] = s[c * frames + i] / 32767f;
      }
    }
    if (w.channels() == channels) {
      return stored;
    }
    float[][] out = new float[channels][frames];
    new ChannelMapper(ChannelMode.DOWNMIX, w.channels(), channels).map(stored, frames, out);
    return out;
  }

  @Override
  public void close() {
    reader.close();
  }
}
