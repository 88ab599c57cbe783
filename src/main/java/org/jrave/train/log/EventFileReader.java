package org.jrave.train.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jrave.train.log.proto.EventProtos.Event;

/**
 * Follows one TensorBoard event file while a run writes it: each {@link #readNew()} returns the
 * events completed since the last call. A record still being written (its tail not on disk yet) is
 * left for the next call, so a reader never sees half an event. Records are checked with the same
 * masked CRC-32C {@link RecordWriter} writes.
 */
public final class EventFileReader {

  /** One event and where its record starts, so large payloads can be read again later instead of kept. */
  public record Located(Event event, long offset, long end) {}

  private static final int HEADER = 12;
  private static final int FOOTER = 4;

  private final Path file;
  private long offset;

  public EventFileReader(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The events whose records were completed since the last call, in file order. */
  public List<Located> readNew() throws IOException {
    List<Located> events = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (true) {
        Located next = readAt(channel, offset);
        if (next == null) {
          return events;
        }
        events.add(next);
        offset = next.end();
      }
    }
  }

  /** The event whose record starts at {@code offset} (an offset {@link #readNew()} reported). */
  public static Event readOne(Path file, long offset) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Located located = readAt(channel, offset);
      if (located == null) {
        throw new IOException(file + ": no complete event at byte " + offset);
      }
      return located.event();
    }
  }

  /** The record at {@code at}, or null when it is not complete on disk yet. */
  private static Located readAt(FileChannel channel, long at) throws IOException {
    if (channel.size() - at < HEADER) {
      return null;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, header, at);
    long length = header.getLong(0);
    if (header.getInt(8) != RecordWriter.maskedCrc(header.array(), 0, 8)) {
      throw new IOException(channel + ": corrupt event record header at byte " + at);
    }
    if (length < 0 || length > Integer.MAX_VALUE - 16) {
      throw new IOException("event record at byte " + at + " claims " + length + " bytes");
    }
    if (channel.size() - at < HEADER + length + FOOTER) {
      return null;
    }
    ByteBuffer body = ByteBuffer.allocate((int) length + FOOTER).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, body, at + HEADER);
    byte[] data = new byte[(int) length];
    body.get(0, data);
    if (body.getInt((int) length) != RecordWriter.maskedCrc(data, 0, data.length)) {
      throw new IOException("corrupt event record data at byte " + at);
    }
    return new Located(Event.parseFrom(data), at, at + HEADER + length + FOOTER);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long p = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, p);
      if (n < 0) {
        throw new IOException("unexpected end of the event file at byte " + p);
      }
      p += n;
    }
  }
}
