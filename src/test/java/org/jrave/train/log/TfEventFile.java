package org.jrave.train.log;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads a TensorBoard event file independently of jrave's writer: TFRecord framing checked here
 * (both masked CRC-32Cs recomputed with {@link CRC32C}, nothing of {@link RecordWriter} reused) and
 * every record parsed with TensorFlow's own generated {@link Event} class. A record that TensorFlow's
 * schema does not fully recognise (any unknown field, at any depth) is an error.
 */
public final class TfEventFile {
  private TfEventFile() {}

  /** The events of a file, in order; throws if the framing, a checksum or the schema is off. */
  public static List<Event> read(Path file) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      int at = in.position();
      if (in.remaining() < 12) {
        throw new IOException(file + ": truncated record header at byte " + at);
      }
      byte[] length = new byte[8];
      in.get(length);
      long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (in.getInt() != masked(length)) {
        throw new IOException(file + ": bad length checksum at byte " + at);
      }
      if (n < 0 || n > in.remaining() - 4) {
        throw new IOException(file + ": record at byte " + at + " claims " + n + " bytes, " + in.remaining() + " left");
      }
      byte[] data = new byte[(int) n];
      in.get(data);
      if (in.getInt() != masked(data)) {
        throw new IOException(file + ": bad data checksum at byte " + at);
      }
      Event event = Event.parseFrom(data);
      requireKnown(event, "event at byte " + at);
      events.add(event);
    }
    return events;
  }

  /**
   * The events of all event files in a log folder, file by file in name (= start time) order: a
   * resumed run adds a file of its own.
   */
  public static List<Event> readAll(Path logs) throws IOException {
    List<Event> all = new ArrayList<>();
    try (var files = Files.list(logs)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList()) {
        all.addAll(read(f));
      }
    }
    return all;
  }

  /** TFRecord's mask over CRC-32C (Castagnoli): rotate right 15, add 0xa282ead8. */
  static int masked(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    long c = crc.getValue();
    long rotated = ((c >>> 15) | (c << 17)) & 0xFFFFFFFFL;
    return (int) ((rotated + 0xa282ead8L) & 0xFFFFFFFFL);
  }

  private static void requireKnown(Message m, String where) throws InvalidProtocolBufferException {
    if (!m.getUnknownFields().asMap().isEmpty()) {
      throw new InvalidProtocolBufferException(where + ": fields unknown to TensorFlow's " + m.getDescriptorForType().getFullName()
          + ": " + m.getUnknownFields().asMap().keySet());
    }
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      String path = where + "." + f.getKey().getName();
      if (f.getValue() instanceof Message child) {
        requireKnown(child, path);
      } else if (f.getValue() instanceof List<?> list) {
        for (Object o : list) {
          if (o instanceof Message child) {
            requireKnown(child, path);
          }
        }
      }
    }
  }
}
