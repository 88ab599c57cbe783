package org.jrave.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/** Positional reads that fill a whole buffer: the header and block reads of the WAV and .npy readers. */
public final class ChannelReads {

  private ChannelReads() {}

  /** {@code n} bytes at {@code pos}, little-endian (RIFF and .npy headers both are), ready to read. */
  public static ByteBuffer readAt(FileChannel ch, long pos, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, b, pos);
    return b.flip();
  }

  /** Fills the rest of {@code b} from {@code pos} on; a file that ends first is an error. */
  public static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, pos);
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += r;
    }
  }
}
