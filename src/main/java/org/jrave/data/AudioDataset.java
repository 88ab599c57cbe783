package org.jrave.data;

import java.io.IOException;

/** Items of a dataset as planar float audio {@code [channel][frame]}, before any transform. */
public interface AudioDataset extends AutoCloseable {
  int size();

  int channels();

  int sampleRate();

  float[][] item(int index) throws IOException;

  @Override
  default void close() {}
}
