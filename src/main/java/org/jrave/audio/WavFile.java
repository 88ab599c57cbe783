package org.jrave.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jrave.io.AtomicFiles;
import org.jrave.io.ChannelReads;

/**
 * Exact reader and writer for RIFF/WAVE files.
 *
 * <p>Reads PCM (8-bit unsigned, 16/24/32-bit signed) and IEEE float (32/64-bit) samples, plain or
 * in a {@code WAVE_FORMAT_EXTENSIBLE} header, with any channel count and sample rate. Integer
 * samples are scaled by 2^-(bits-1) (8-bit: {@code (x - 128) / 128}); float32 samples are returned
 * bit-exact and float64 samples are rounded to float. Unknown chunks are skipped. The reader is
 * strict: anything it cannot read exactly (other encodings, truncated or inconsistent files) is an
 * {@link IOException} naming the file and the problem; lenient decoding of damaged files is the
 * FFmpeg decoder's job.
 *
 * <p>Writes 32-bit IEEE float (bit-exact round trip) or 16-bit PCM, through a temporary file and
 * an atomic move.
 */
public final class WavFile {

  /** Sample encodings the writer produces. */
  public enum SampleFormat {
    /** IEEE float, format tag 3, with a {@code fact} chunk; lossless for float samples. */
    FLOAT32,
    /** Signed 16-bit PCM: samples times 32768, rounded half to even and clipped. */
    PCM16
  }

  static final int FORMAT_PCM = 1;
  static final int FORMAT_IEEE_FLOAT = 3;
  static final int FORMAT_EXTENSIBLE = 0xFFFE;

  /** Bytes 2..15 of the KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT GUIDs (bytes 0..1 hold the tag). */
  private static final byte[] GUID_TAIL = {
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
  };

  private static final int BLOCK_BYTES = 1 << 20;
  private static final long MAX_RIFF_SIZE = 0xFFFF_FFFFL;

  private enum Encoding { U8, S16, S24, S32, F32, F64 }

  private record Format(int channels, int sampleRate, int blockAlign, int bytesPerSample, Encoding encoding) {}

  private WavFile() {}

  /** Reads a whole WAV file. */
  public static AudioClip read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 12) {
        throw error(file, "not a RIFF file (only " + size + " bytes)");
      }
      ByteBuffer head = ChannelReads.readAt(ch, 0, 12);
      String riff = fourCc(head, 0);
      if (riff.equals("RIFX") || riff.equals("RF64")) {
        throw error(file, "unsupported container " + riff + " (only little-endian RIFF is read)");
      }
      if (!riff.equals("RIFF")) {
        throw error(file, "not a RIFF file (starts with " + printable(head, 0) + ")");
      }
      String form = fourCc(head, 8);
      if (!form.equals("WAVE")) {
        throw error(file, "not a WAVE file (RIFF form type " + printable(head, 8) + ")");
      }
      // The RIFF size field is not trusted (writers often get it wrong): chunks are walked up to
      // the real end of the file, and only the chunks we need must be complete.
      Format format = null;
      long pos = 12;
      while (true) {
        if (size - pos < 8) {
          throw error(file, format == null ? "no fmt chunk" : "no data chunk");
        }
        ByteBuffer hdr = ChannelReads.readAt(ch, pos, 8);
        String id = fourCc(hdr, 0);
        long chunkSize = Integer.toUnsignedLong(hdr.getInt(4));
        long body = pos + 8;
        if (id.equals("data")) {
          if (format == null) {
            throw error(file, "data chunk before the fmt chunk");
          }
          if (body + chunkSize > size) {
            throw error(file, "truncated data chunk (declares " + chunkSize + " bytes, only "
                + (size - body) + " present)");
          }
          return readSamples(file, ch, body, chunkSize, format);
        }
        if (body + chunkSize > size) {
          throw error(file, "truncated '" + id + "' chunk (declares " + chunkSize + " bytes, only "
              + (size - body) + " present)");
        }
        if (id.equals("fmt ")) {
          if (format != null) {
            throw error(file, "more than one fmt chunk");
          }
          format = parseFormat(file, ChannelReads.readAt(ch, body, (int) Math.min(chunkSize, 64)), chunkSize);
        }
        // Chunks are word-aligned: an odd-sized chunk is followed by one pad byte.
        pos = body + chunkSize + (chunkSize & 1);
      }
    }
  }

  private static Format parseFormat(Path file, ByteBuffer b, long chunkSize) throws IOException {
    if (chunkSize < 16) {
      throw error(file, "fmt chunk too short (" + chunkSize + " bytes)");
    }
    int tag = Short.toUnsignedInt(b.getShort(0));
    int channels = Short.toUnsignedInt(b.getShort(2));
    long sampleRate = Integer.toUnsignedLong(b.getInt(4));
    int blockAlign = Short.toUnsignedInt(b.getShort(12));
    int bits = Short.toUnsignedInt(b.getShort(14));
    int effectiveTag = tag;
    if (tag == FORMAT_EXTENSIBLE) {
      if (chunkSize < 40) {
        throw error(file, "WAVE_FORMAT_EXTENSIBLE fmt chunk too short (" + chunkSize + " bytes, need 40)");
      }
      effectiveTag = Short.toUnsignedInt(b.getShort(24));
      for (int i = 0; i < GUID_TAIL.length; i++) {
        if (b.get(26 + i) != GUID_TAIL[i]) {
          throw error(file, "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID");
        }
      }
    }
    if (channels == 0) {
      throw error(file, "fmt chunk declares 0 channels");
    }
    if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
      throw error(file, "invalid sample rate " + sampleRate);
    }
    Encoding enc = switch (effectiveTag) {
      case FORMAT_PCM -> switch (bits) {
        case 8 -> Encoding.U8;
        case 16 -> Encoding.S16;
        case 24 -> Encoding.S24;
        case 32 -> Encoding.S32;
        default -> throw error(file, "unsupported PCM bit depth " + bits);
      };
      case FORMAT_IEEE_FLOAT -> switch (bits) {
        case 32 -> Encoding.F32;
        case 64 -> Encoding.F64;
        default -> throw error(file, "unsupported IEEE float bit depth " + bits);
      };
      default -> throw error(file, "unsupported encoding " + effectiveTag
          + " (only PCM 1 and IEEE float 3 are read)");
    };
    int bytesPerSample = bits / 8;
    if (blockAlign != channels * bytesPerSample) {
      throw error(file, "inconsistent fmt chunk: block align " + blockAlign + " for " + channels
          + " channels of " + bits + " bits");
    }
    return new Format(channels, (int) sampleRate, blockAlign, bytesPerSample, enc);
  }

  private static AudioClip readSamples(Path file, FileChannel ch, long start, long bytes, Format f)
      throws IOException {
    if (bytes % f.blockAlign() != 0) {
      throw error(file, "data chunk size " + bytes + " is not a whole number of " + f.blockAlign()
          + "-byte frames");
    }
    long frames = bytes / f.blockAlign();
    if (frames > Integer.MAX_VALUE - 8) {
      throw error(file, "too long to read into memory (" + frames + " frames)");
    }
    int n = (int) frames;
    int nch = f.channels();
    float[][] out = new float[nch][n];
    int framesPerBlock = Math.max(1, BLOCK_BYTES / f.blockAlign());
    ByteBuffer buf = ByteBuffer.allocate(framesPerBlock * f.blockAlign()).order(ByteOrder.LITTLE_ENDIAN);
    int frame = 0;
    while (frame < n) {
      int count = Math.min(framesPerBlock, n - frame);
      buf.clear().limit(count * f.blockAlign());
      ChannelReads.readFully(ch, buf, start + (long) frame * f.blockAlign());
      buf.flip();
      for (int i = 0; i < count; i++) {
        for (int c = 0; c < nch; c++) {
          out[c][frame + i] = decode(buf, f.encoding());
        }
      }
      frame += count;
    }
    return new AudioClip(f.sampleRate(), out);
  }

  private static float decode(ByteBuffer b, Encoding e) {
    return switch (e) {
      case U8 -> ((b.get() & 0xFF) - 128) / 128f;
      case S16 -> b.getShort() / 32768f;
      case S24 -> {
        int lo = b.get() & 0xFF;
        int mid = b.get() & 0xFF;
        int hi = b.get(); // sign-extends
        yield ((hi << 16) | (mid << 8) | lo) / 8388608f;
      }
      case S32 -> b.getInt() / 2147483648f;
      case F32 -> Float.intBitsToFloat(b.getInt());
      case F64 -> (float) b.getDouble();
    };
  }

  /** Writes a 32-bit IEEE float WAV file (bit-exact round trip). */
  public static void write(Path file, AudioClip clip) throws IOException {
    write(file, clip, SampleFormat.FLOAT32);
  }

  /** Writes a WAV file in the given sample format, atomically (temporary file then move). */
  public static void write(Path file, AudioClip clip, SampleFormat format) throws IOException {
    int nch = clip.channelCount();
    int frames = clip.frameCount();
    int bytesPerSample = format == SampleFormat.FLOAT32 ? 4 : 2;
    int blockAlign = nch * bytesPerSample;
    if (blockAlign > 0xFFFF) {
      throw new IOException(file + ": too many channels for WAV (" + nch + ")");
    }
    long dataBytes = (long) frames * blockAlign;
    boolean isFloat = format == SampleFormat.FLOAT32;
    // Non-PCM formats need the cbSize field (18-byte fmt) and a fact chunk with the frame count.
    int fmtSize = isFloat ? 18 : 16;
    long riffSize = 4 + (8 + fmtSize) + (isFloat ? 12 : 0) + 8 + dataBytes;
    if (riffSize > MAX_RIFF_SIZE) {
      throw new IOException(file + ": too large for a WAV file (" + dataBytes + " data bytes, limit 4 GiB)");
    }
    ByteBuffer h = ByteBuffer.allocate((int) (riffSize - dataBytes + 8)).order(ByteOrder.LITTLE_ENDIAN);
    h.put(ascii("RIFF")).putInt((int) riffSize).put(ascii("WAVE"));
    h.put(ascii("fmt ")).putInt(fmtSize)
        .putShort((short) (isFloat ? FORMAT_IEEE_FLOAT : FORMAT_PCM))
        .putShort((short) nch)
        .putInt(clip.sampleRate())
        .putInt((int) ((long) clip.sampleRate() * blockAlign))
        .putShort((short) blockAlign)
        .putShort((short) (bytesPerSample * 8));
    if (isFloat) {
      h.putShort((short) 0);
      h.put(ascii("fact")).putInt(4).putInt(frames);
    }
    h.put(ascii("data")).putInt((int) dataBytes);
    float[][] channels = clip.channels();
    AtomicFiles.write(file, out -> {
      out.write(h.array(), 0, h.position());
      writeSamples(out, channels, frames, bytesPerSample, isFloat);
    });
  }

  private static void writeSamples(OutputStream out, float[][] channels, int frames, int bytesPerSample,
      boolean isFloat) throws IOException {
    int nch = channels.length;
    int framesPerBlock = Math.max(1, BLOCK_BYTES / (nch * bytesPerSample));
    ByteBuffer buf = ByteBuffer.allocate(framesPerBlock * nch * bytesPerSample).order(ByteOrder.LITTLE_ENDIAN);
    for (int frame = 0; frame < frames; frame += framesPerBlock) {
      int count = Math.min(framesPerBlock, frames - frame);
      buf.clear();
      for (int i = frame; i < frame + count; i++) {
        for (int c = 0; c < nch; c++) {
          float x = channels[c][i];
          if (isFloat) {
            buf.putInt(Float.floatToRawIntBits(x));
          } else {
            buf.putShort(toPcm16(x));
          }
        }
      }
      out.write(buf.array(), 0, buf.position());
    }
  }

  /** Same scale as the reader (x * 32768) so int16 values round-trip; NaN becomes 0. */
  static short toPcm16(float x) {
    double v = Math.rint(x * 32768.0);
    if (Double.isNaN(v)) {
      return 0;
    }
    return (short) Math.max(-32768, Math.min(32767, v));
  }

  private static String fourCc(ByteBuffer b, int at) {
    byte[] id = new byte[4];
    b.get(at, id);
    return new String(id, StandardCharsets.ISO_8859_1);
  }

  private static String printable(ByteBuffer b, int at) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < 4; i++) {
      int c = b.get(at + i) & 0xFF;
      if (c >= 0x20 && c < 0x7F) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.append('\'').toString();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static IOException error(Path file, String problem) {
    return new IOException(file + ": " + problem);
  }
}
