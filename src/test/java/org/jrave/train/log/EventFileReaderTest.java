package org.jrave.train.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFileReaderTest {

  @TempDir Path dir;

  @Test
  void followsAFileWhileItIsWrittenAndNeverReturnsHalfAnEvent() throws IOException {
    try (EventWriter w = new EventWriter(dir)) {
      w.scalar("loss", 1, 0.5);
      EventFileReader reader = new EventFileReader(w.file());
      List<EventFileReader.Located> first = reader.readNew();
      assertThat(first).hasSize(2);   // the file-version event, then the scalar
      assertThat(first.get(1).event().getSummary().getValue(0).getSimpleValue()).isEqualTo(0.5f);
      assertThat(reader.readNew()).isEmpty();

      w.audio("audio_val", 2, new float[] {0f, 0.25f, -0.5f}, 1, 44100);
      w.scalar("loss", 3, 0.25);
      // Cut the file inside its last record, as a reader can see it while the writer is mid-way.
      byte[] whole = Files.readAllBytes(w.file());
      Path partial = dir.resolve("partial");
      Files.write(partial, Arrays.copyOf(whole, whole.length - 3));
      EventFileReader follower = new EventFileReader(partial);
      List<EventFileReader.Located> seen = follower.readNew();
      assertThat(seen).hasSize(3);
      assertThat(seen.get(2).event().getStep()).isEqualTo(2);
      Files.write(partial, Arrays.copyOfRange(whole, whole.length - 3, whole.length), StandardOpenOption.APPEND);
      List<EventFileReader.Located> rest = follower.readNew();
      assertThat(rest).hasSize(1);
      assertThat(rest.get(0).event().getStep()).isEqualTo(3);

      // A record can be read again from where it was found (large payloads are not kept in memory).
      var audio = EventFileReader.readOne(partial, seen.get(2).offset()).getSummary().getValue(0).getAudio();
      assertThat(audio.getSampleRate()).isEqualTo(44100);
      assertThat(audio.getLengthFrames()).isEqualTo(3);
    }
  }

  @Test
  void aCorruptRecordIsAnErrorNotGarbage() throws IOException {
    Path file;
    try (EventWriter w = new EventWriter(dir)) {
      w.scalar("loss", 1, 0.5);
      file = w.file();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x55;
    Files.write(file, bytes);
    assertThatThrownBy(() -> new EventFileReader(file).readNew()).isInstanceOf(IOException.class)
        .hasMessageContaining("corrupt");
  }
}
