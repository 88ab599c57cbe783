package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetWriterTest {
  @TempDir Path tmp;

  private static WaveformRecord record(int value) {
    short[] s = new short[1000];
    java.util.Arrays.fill(s, (short) value);
    return new WaveformRecord(1, 44100, s);
  }

  @Test
  void aLongFileCommittedInPartsIsStillDroppedWholeWhenItFails() throws Exception {
    try (DatasetWriter w = DatasetWriter.open(tmp, 1 << 24, -1, 5000)) { // spill every ~3 records
      w.beginFile();
      w.putInFile(record(1));
      w.commitFile();
      w.beginFile();
      boolean spilled = false;
      for (int i = 0; i < 10; i++) {
        spilled |= w.putInFile(record(2));
      }
      assertThat(spilled).isTrue();
      assertThat(w.committedId()).isGreaterThan(1); // parts of the long file are on disk
      w.abortFile();
      assertThat(w.nextId()).isEqualTo(1);
      w.beginFile();
      w.putInFile(record(3));
      w.commitFile();
    }
    try (DatasetReader r = DatasetReader.open(tmp)) {
      assertThat(r.size()).isEqualTo(2);
      assertThat(((WaveformRecord) r.record(0)).samples()[0]).isEqualTo((short) 1);
      assertThat(((WaveformRecord) r.record(1)).samples()[0]).isEqualTo((short) 3);
      assertThat(r.lastId()).isEqualTo(1);
    }
  }

  @Test
  void closingMidFileKeepsOnlyCompleteFiles() throws Exception {
    try (DatasetWriter w = DatasetWriter.open(tmp, 1 << 24, 41, 5000)) {
      w.beginFile();
      w.putInFile(record(1));
      w.commitFile();
      w.beginFile();
      for (int i = 0; i < 7; i++) {
        w.putInFile(record(2));
      }
      // interrupted here: close() must drop the unfinished file, committed parts included
    }
    try (DatasetReader r = DatasetReader.open(tmp)) {
      assertThat(r.size()).isEqualTo(1);
      assertThat(new String(r.key(0))).isEqualTo("00000042");
    }
  }
}
