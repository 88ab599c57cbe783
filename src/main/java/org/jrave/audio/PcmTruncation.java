package org.jrave.audio;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Detects truncated WAV and AIFF files. FFmpeg clamps a data chunk that runs past the end of the
 * file to what is there and reports no error, so the size the header declares is checked here.
 */
final class PcmTruncation {
  private PcmTruncation() {}

  /** Bytes missing from the audio data chunk, if the file is a truncated WAV or AIFF. */
  static OptionalLong missingBytes(Path path) {
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long length = f.length();
      byte[] head = new byte[12];
      if (length < 12 || f.read(head) != 12) {
        return OptionalLong.empty();
      }
      String riff = new String(head, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
      String form = new String(head, 8, 4, java.nio.charset.StandardCharsets.US_ASCII);
      boolean wav = riff.equals("RIFF") && form.equals("WAVE");
      boolean aiff = riff.equals("FORM") && (form.equals("AIFF") || form.equals("AIFC"));
      if (!wav && !aiff) {
        return OptionalLong.empty();
      }
      String dataId = wav ? "data" : "SSND";
      ByteOrder order = wav ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
      long pos = 12;
      byte[] chunk = new byte[8];
      while (pos + 8 <= length) {
        f.seek(pos);
        f.readFully(chunk);
        String id = new String(chunk, 0, 4, java.nio.charset.StandardCharsets.US_ASCII);
        long size = ByteBuffer.wrap(chunk, 4, 4).order(order).getInt() & 0xffffffffL;
        if (id.equals(dataId)) {
          // 0 and 0xFFFFFFFF mean "unknown" (streamed recordings): nothing to compare.
          if (size == 0 || size == 0xffffffffL) {
            return OptionalLong.empty();
          }
          long available = length - (pos + 8);
          return size > available ? OptionalLong.of(size - available) : OptionalLong.empty();
        }
        pos += 8 + size + (size & 1);
      }
      return OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }
}
