package org.jrave.train.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrave.train.log.proto.EventProtos.DataType;
import org.jrave.train.log.proto.EventProtos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventWriterTest {

  @TempDir Path dir;

  @Test
  void writesFramedEventsWithValidMaskedChecksums() throws IOException {
    Path file;
    try (EventWriter w = new EventWriter(dir)) {
      w.scalar("validation", 7, 1.25);
      w.text("config", 0, "capacity: 4");
      w.audio("audio_val", 7, new float[] {0f, 0.5f, -1f, 2f}, 1, 44100);
      file = w.file();
    }
    assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.");
    List<Event> events = read(file);
    assertThat(events).hasSize(4);
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(events.get(1).getStep()).isEqualTo(7);
    assertThat(events.get(1).getSummary().getValue(0).getTag()).isEqualTo("validation");
    assertThat(events.get(1).getSummary().getValue(0).getSimpleValue()).isEqualTo(1.25f);
    var text = events.get(2).getSummary().getValue(0);
    assertThat(text.getMetadata().getPluginData().getPluginName()).isEqualTo("text");
    assertThat(text.getTensor().getDtype()).isEqualTo(DataType.DT_STRING);
    assertThat(text.getTensor().getStringVal(0).toStringUtf8()).isEqualTo("capacity: 4");
    var audio = events.get(3).getSummary().getValue(0).getAudio();
    assertThat(audio.getLengthFrames()).isEqualTo(4);
    byte[] wav = audio.getEncodedAudioString().toByteArray();
    assertThat(new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    ByteBuffer samples = ByteBuffer.wrap(wav, 44, 8).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(samples.getShort()).isEqualTo((short) 0);
    assertThat(samples.getShort()).isEqualTo((short) 16384);
    assertThat(samples.getShort()).isEqualTo((short) -32767);
    assertThat(samples.getShort()).isEqualTo((short) 32767); // clipped
  }

  @Test
  void maskedCrcMatchesTheTfRecordDefinition() {
    // CRC-32C("123456789") = 0xE3069283; masked = ror15 + 0xa282ead8.
    byte[] data = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int crc = 0xE3069283;
    assertThat(RecordWriter.maskedCrc(data, 0, data.length)).isEqualTo(((crc >>> 15) | (crc << 17)) + 0xa282ead8);
  }

  private static List<Event> read(Path file) throws IOException {
    List<Event> out = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      while (in.available() > 0) {
        byte[] header = in.readNBytes(12);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long length = h.getLong();
        assertThat(h.getInt()).isEqualTo(RecordWriter.maskedCrc(header, 0, 8));
        byte[] data = in.readNBytes((int) length);
        int crc = ByteBuffer.wrap(in.readNBytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(crc).isEqualTo(RecordWriter.maskedCrc(data, 0, data.length));
        out.add(Event.parseFrom(data));
      }
    }
    return out;
  }
}
