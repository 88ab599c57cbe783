package org.jrave.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {

  @TempDir Path dir;

  // --- hand-built files --------------------------------------------------------------------------

  /** Little-endian byte builder for hand-made RIFF files. */
  private static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes ascii(String s) {
      out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
      return this;
    }

    Bytes u8(int v) {
      out.write(v);
      return this;
    }

    Bytes u16(int v) {
      return u8(v & 0xFF).u8((v >>> 8) & 0xFF);
    }

    Bytes u24(int v) {
      return u16(v).u8((v >>> 16) & 0xFF);
    }

    Bytes u32(long v) {
      return u16((int) v).u16((int) (v >>> 16));
    }

    Bytes u64(long v) {
      return u32(v).u32(v >>> 32);
    }

    Bytes bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    byte[] toArray() {
      return out.toByteArray();
    }
  }

  private static byte[] fmt(int tag, int channels, int rate, int bits) {
    int block = channels * bits / 8;
    return new Bytes().u16(tag).u16(channels).u32(rate).u32((long) rate * block).u16(block).u16(bits).toArray();
  }

  private static byte[] fmtExtensible(int subTag, int channels, int rate, int bits, boolean goodGuid) {
    Bytes b = new Bytes().bytes(fmt(0xFFFE, channels, rate, bits)).u16(22).u16(bits).u32(3)
        .u16(subTag).u16(0x0000).u16(0x0000).u16(0x0010).u16(0x0080).u8(0x00).u8(0xAA).u8(0x00).u8(0x38).u8(0x9B)
        .u8(goodGuid ? 0x71 : 0x72);
    return b.toArray();
  }

  private static byte[] chunk(String id, byte[] body) {
    Bytes b = new Bytes().ascii(id).u32(body.length).bytes(body);
    if ((body.length & 1) == 1) {
      b.u8(0);
    }
    return b.toArray();
  }

  private static byte[] riff(byte[]... chunks) {
    Bytes body = new Bytes().ascii("WAVE");
    for (byte[] c : chunks) {
      body.bytes(c);
    }
    byte[] b = body.toArray();
    return new Bytes().ascii("RIFF").u32(b.length).bytes(b).toArray();
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  // --- round trips -------------------------------------------------------------------------------

  @Test
  void float32RoundTripIsBitExact() throws IOException {
    Random rnd = new Random(1234);
    int frames = 5000;
    float[][] ch = new float[3][frames];
    for (float[] c : ch) {
      for (int i = 0; i < frames; i++) {
        c[i] = rnd.nextFloat() * 2 - 1;
      }
    }
    float[] specials = {-1.0f, 0.9999f, 0.0f, -0.0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f,
        Float.MIN_NORMAL, 1.0f, 3.5f, -7.25f};
    System.arraycopy(specials, 0, ch[1], 17, specials.length);
    AudioClip clip = new AudioClip(48000, ch);
    Path p = dir.resolve("f32.wav");
    WavFile.write(p, clip);

    AudioClip back = WavFile.read(p);
    assertThat(back.sampleRate()).isEqualTo(48000);
    assertThat(back.channelCount()).isEqualTo(3);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < frames; i++) {
        assertThat(Float.floatToRawIntBits(back.channels()[c][i]))
            .as("channel %d frame %d", c, i).isEqualTo(Float.floatToRawIntBits(ch[c][i]));
      }
    }
    assertThat(back).isEqualTo(clip);
  }

  @Test
  void float32HeaderIsIeeeFloatWithFactChunk() throws IOException {
    Path p = dir.resolve("h.wav");
    WavFile.write(p, new AudioClip(22050, new float[][] {{0.5f, -0.5f, 0.25f}, {1, 2, 3}}));
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.capacity()).isEqualTo(12 + 8 + 18 + 12 + 8 + 3 * 2 * 4);
    assertThat(new String(b.array(), 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(b.getInt(4)).isEqualTo(b.capacity() - 8);
    assertThat(new String(b.array(), 12, 4, StandardCharsets.US_ASCII)).isEqualTo("fmt ");
    assertThat(b.getInt(16)).isEqualTo(18);
    assertThat(b.getShort(20)).isEqualTo((short) 3);
    assertThat(b.getShort(22)).isEqualTo((short) 2);
    assertThat(b.getInt(24)).isEqualTo(22050);
    assertThat(b.getInt(28)).isEqualTo(22050 * 8);
    assertThat(b.getShort(32)).isEqualTo((short) 8);
    assertThat(b.getShort(34)).isEqualTo((short) 32);
    assertThat(new String(b.array(), 38, 4, StandardCharsets.US_ASCII)).isEqualTo("fact");
    assertThat(b.getInt(46)).isEqualTo(3);
    assertThat(new String(b.array(), 50, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
    assertThat(b.getInt(54)).isEqualTo(24);
    // interleaved: frame 0 = (0.5, 1), frame 1 = (-0.5, 2)
    assertThat(b.getFloat(58)).isEqualTo(0.5f);
    assertThat(b.getFloat(62)).isEqualTo(1f);
    assertThat(b.getFloat(66)).isEqualTo(-0.5f);
    assertThat(b.getFloat(70)).isEqualTo(2f);
  }

  @Test
  void pcm16WriteRoundsHalfEvenAndClips() throws IOException {
    float[] in = {0f, 0.5f, -1f, 1f, 2f, -3f, 1.5f / 32768, 2.5f / 32768, -1.5f / 32768, 100.4f / 32768, Float.NaN};
    short[] expected = {0, 16384, -32768, 32767, 32767, -32768, 2, 2, -2, 100, 0};
    Path p = dir.resolve("s16.wav");
    WavFile.write(p, new AudioClip(8000, new float[][] {in}), WavFile.SampleFormat.PCM16);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(b.getShort(20)).isEqualTo((short) 1);
    assertThat(b.getShort(34)).isEqualTo((short) 16);
    assertThat(new String(b.array(), 36, 4, StandardCharsets.US_ASCII)).isEqualTo("data");
    assertThat(b.getInt(40)).isEqualTo(in.length * 2);
    for (int i = 0; i < in.length; i++) {
      assertThat(b.getShort(44 + 2 * i)).as("sample %d", i).isEqualTo(expected[i]);
    }
    AudioClip back = WavFile.read(p);
    for (int i = 0; i < in.length; i++) {
      assertThat(back.channel(0)[i]).isEqualTo(expected[i] / 32768f);
    }
  }

  @Test
  void pcm16RoundTripOfExactValuesIsLossless() throws IOException {
    float[][] ch = new float[2][65536];
    for (int i = 0; i < 65536; i++) {
      ch[0][i] = (i - 32768) / 32768f;
      ch[1][i] = (32767 - i) / 32768f;
    }
    AudioClip clip = new AudioClip(44100, ch);
    Path p = dir.resolve("exact16.wav");
    WavFile.write(p, clip, WavFile.SampleFormat.PCM16);
    assertThat(WavFile.read(p)).isEqualTo(clip);
  }

  @Test
  void writeReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
    Path p = file("out.wav", "old content".getBytes(StandardCharsets.US_ASCII));
    AudioClip clip = new AudioClip(16000, new float[][] {{0.1f, 0.2f}});
    WavFile.write(p, clip);
    assertThat(WavFile.read(p)).isEqualTo(clip);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(p);
    }
  }

  @Test
  void emptyClipRoundTrips() throws IOException {
    Path p = dir.resolve("empty.wav");
    WavFile.write(p, new AudioClip(44100, new float[2][0]));
    AudioClip back = WavFile.read(p);
    assertThat(back.channelCount()).isEqualTo(2);
    assertThat(back.frameCount()).isZero();
  }

  // --- integer widths and float64 ----------------------------------------------------------------

  @Test
  void reads8BitUnsigned() throws IOException {
    byte[] data = {0, (byte) 128, (byte) 255, 64, (byte) 192};
    AudioClip c = WavFile.read(file("u8.wav", riff(chunk("fmt ", fmt(1, 1, 11025, 8)), chunk("data", data))));
    assertThat(c.sampleRate()).isEqualTo(11025);
    assertThat(c.channel(0)).containsExactly(-1f, 0f, 127f / 128, -0.5f, 0.5f);
  }

  @Test
  void reads16BitSigned() throws IOException {
    byte[] data = new Bytes().u16(-32768).u16(0).u16(16384).u16(32767).u16(-1).toArray();
    AudioClip c = WavFile.read(file("s16.wav", riff(chunk("fmt ", fmt(1, 1, 44100, 16)), chunk("data", data))));
    assertThat(c.channel(0)).containsExactly(-1f, 0f, 0.5f, 32767f / 32768, -1f / 32768);
  }

  @Test
  void reads24BitSigned() throws IOException {
    byte[] data = new Bytes().u24(0x800000).u24(0x400000).u24(0x7FFFFF).u24(0xFFFFFF).u24(1).u24(0xC00000).toArray();
    AudioClip c = WavFile.read(file("s24.wav", riff(chunk("fmt ", fmt(1, 1, 96000, 24)), chunk("data", data))));
    assertThat(c.channel(0)).containsExactly(-1f, 0.5f, 8388607f / 8388608, -1f / 8388608, 1f / 8388608, -0.5f);
  }

  @Test
  void reads32BitSigned() throws IOException {
    byte[] data = new Bytes().u32(Integer.MIN_VALUE).u32(1 << 30).u32(-(1 << 29)).u32(0).u32(256).toArray();
    AudioClip c = WavFile.read(file("s32.wav", riff(chunk("fmt ", fmt(1, 1, 44100, 32)), chunk("data", data))));
    assertThat(c.channel(0)).containsExactly(-1f, 0.5f, -0.25f, 0f, (float) Math.scalb(1.0, -23));
  }

  @Test
  void readsFloat64AsRoundedFloat() throws IOException {
    double[] v = {0.1, -0.75, 1.0 / 3, 1e-300};
    Bytes d = new Bytes();
    for (double x : v) {
      d.u64(Double.doubleToRawLongBits(x));
    }
    AudioClip c = WavFile.read(file("f64.wav", riff(chunk("fmt ", fmt(3, 1, 44100, 64)), chunk("data", d.toArray()))));
    assertThat(c.channel(0)).containsExactly((float) 0.1, -0.75f, (float) (1.0 / 3), 0f);
  }

  @Test
  void readsHandBuiltFloat32BitExact() throws IOException {
    int[] bits = {0x3F800000, 0xBF800000, 0x00000001, 0x80000000, 0x7F7FFFFF, 0x3F7FF972};
    Bytes d = new Bytes();
    for (int b : bits) {
      d.u32(b);
    }
    AudioClip c = WavFile.read(file("f32.wav", riff(chunk("fmt ", fmt(3, 1, 44100, 32)),
        chunk("fact", new Bytes().u32(bits.length).toArray()), chunk("data", d.toArray()))));
    for (int i = 0; i < bits.length; i++) {
      assertThat(Float.floatToRawIntBits(c.channel(0)[i])).isEqualTo(bits[i]);
    }
  }

  @Test
  void deinterleavesChannels() throws IOException {
    Bytes d = new Bytes();
    for (int frame = 0; frame < 4; frame++) {
      for (int ch = 0; ch < 5; ch++) {
        d.u16(100 * ch + frame);
      }
    }
    AudioClip c = WavFile.read(file("5ch.wav", riff(chunk("fmt ", fmt(1, 5, 32000, 16)), chunk("data", d.toArray()))));
    assertThat(c.channelCount()).isEqualTo(5);
    assertThat(c.frameCount()).isEqualTo(4);
    for (int ch = 0; ch < 5; ch++) {
      for (int frame = 0; frame < 4; frame++) {
        assertThat(c.channel(ch)[frame]).isEqualTo((100 * ch + frame) / 32768f);
      }
    }
  }

  // --- extensible headers and chunk layout --------------------------------------------------------

  @Test
  void readsExtensiblePcm24Stereo() throws IOException {
    byte[] data = new Bytes().u24(0x400000).u24(0xC00000).u24(0x200000).u24(0x7FFFFF).toArray();
    AudioClip c = WavFile.read(file("ext24.wav", riff(chunk("fmt ", fmtExtensible(1, 2, 48000, 24, true)),
        chunk("data", data))));
    assertThat(c.channel(0)).containsExactly(0.5f, 0.25f);
    assertThat(c.channel(1)).containsExactly(-0.5f, 8388607f / 8388608);
  }

  @Test
  void readsExtensibleFloat32() throws IOException {
    byte[] data = new Bytes().u32(Float.floatToRawIntBits(0.125f)).u32(Float.floatToRawIntBits(-2f)).toArray();
    AudioClip c = WavFile.read(file("extf.wav", riff(chunk("fmt ", fmtExtensible(3, 1, 44100, 32, true)),
        chunk("fact", new Bytes().u32(2).toArray()), chunk("data", data))));
    assertThat(c.channel(0)).containsExactly(0.125f, -2f);
  }

  @Test
  void rejectsUnknownExtensibleSubformat() throws IOException {
    Path p = file("extbad.wav", riff(chunk("fmt ", fmtExtensible(1, 1, 44100, 16, false)), chunk("data", new byte[2])));
    assertThatThrownBy(() -> WavFile.read(p)).isInstanceOf(IOException.class)
        .hasMessageContaining(p.toString()).hasMessageContaining("sub-format GUID");
  }

  @Test
  void skipsOddSizedUnknownChunksWithPadding() throws IOException {
    byte[] list = {'a', 'b', 'c'}; // odd size: followed by a pad byte
    byte[] data = new Bytes().u16(16384).u16(-16384).toArray();
    byte[] wav = riff(chunk("JUNK", new byte[7]), chunk("fmt ", fmt(1, 1, 44100, 16)), chunk("LIST", list),
        chunk("data", data), chunk("id3 ", new byte[5]));
    AudioClip c = WavFile.read(file("odd.wav", wav));
    assertThat(c.channel(0)).containsExactly(0.5f, -0.5f);
  }

  @Test
  void readsOddSized8BitDataChunk() throws IOException {
    byte[] wav = riff(chunk("fmt ", fmt(1, 1, 8000, 8)), chunk("data", new byte[] {(byte) 128, (byte) 192, 64}));
    assertThat(WavFile.read(file("odd8.wav", wav)).channel(0)).containsExactly(0f, 0.5f, -0.5f);
  }

  // --- errors -------------------------------------------------------------------------------------

  private void assertFails(String name, byte[] content, String problem) throws IOException {
    Path p = file(name, content);
    assertThatThrownBy(() -> WavFile.read(p)).isInstanceOf(IOException.class)
        .hasMessageContaining(p.toString()).hasMessageContaining(problem);
  }

  @Test
  void rejectsNonRiffFiles() throws IOException {
    assertFails("text.wav", "hello, this is not audio".getBytes(StandardCharsets.US_ASCII), "not a RIFF file");
    assertFails("empty.wav", new byte[0], "not a RIFF file");
    assertFails("rifx.wav", new Bytes().ascii("RIFX").u32(4).ascii("WAVE").toArray(), "RIFX");
  }

  @Test
  void rejectsNonWaveRiff() throws IOException {
    assertFails("avi.wav", new Bytes().ascii("RIFF").u32(4).ascii("AVI ").toArray(), "not a WAVE file");
  }

  @Test
  void rejectsUnsupportedEncodings() throws IOException {
    assertFails("adpcm.wav", riff(chunk("fmt ", fmt(2, 1, 44100, 4)), chunk("data", new byte[4])),
        "unsupported encoding 2");
    assertFails("mulaw.wav", riff(chunk("fmt ", fmt(7, 1, 8000, 8)), chunk("data", new byte[4])),
        "unsupported encoding 7");
    assertFails("pcm12.wav", riff(chunk("fmt ", fmt(1, 1, 8000, 12)), chunk("data", new byte[4])),
        "unsupported PCM bit depth 12");
    assertFails("float16.wav", riff(chunk("fmt ", fmt(3, 1, 8000, 16)), chunk("data", new byte[4])),
        "unsupported IEEE float bit depth 16");
  }

  @Test
  void rejectsTruncatedDataChunk() throws IOException {
    byte[] whole = riff(chunk("fmt ", fmt(1, 2, 44100, 16)), chunk("data", new byte[400]));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 100);
    assertFails("cut.wav", cut, "truncated data chunk (declares 400 bytes, only 300 present)");
  }

  @Test
  void rejectsStructuralProblems() throws IOException {
    assertFails("nofmt.wav", riff(chunk("LIST", new byte[4])), "no fmt chunk");
    assertFails("nodata.wav", riff(chunk("fmt ", fmt(1, 1, 44100, 16))), "no data chunk");
    assertFails("order.wav", riff(chunk("data", new byte[4]), chunk("fmt ", fmt(1, 1, 44100, 16))),
        "data chunk before the fmt chunk");
    assertFails("shortfmt.wav", riff(chunk("fmt ", new byte[10]), chunk("data", new byte[4])), "fmt chunk too short");
    assertFails("partial.wav", riff(chunk("fmt ", fmt(1, 2, 44100, 16)), chunk("data", new byte[6])),
        "not a whole number of 4-byte frames");
    assertFails("zero.wav", riff(chunk("fmt ", fmt(1, 0, 44100, 16)), chunk("data", new byte[0])), "0 channels");
    byte[] badAlign = fmt(1, 2, 44100, 16);
    badAlign[12] = 3;
    assertFails("align.wav", riff(chunk("fmt ", badAlign), chunk("data", new byte[12])), "block align 3");
  }

  @Test
  void rejectsTruncatedChunkBeforeData() throws IOException {
    byte[] wav = new Bytes().ascii("RIFF").u32(100).ascii("WAVE").bytes(chunk("fmt ", fmt(1, 1, 44100, 16)))
        .ascii("LIST").u32(1000).bytes(new byte[10]).toArray();
    assertFails("cutlist.wav", wav, "truncated 'LIST' chunk");
  }

  @Test
  void audioClipValidatesItsArguments() {
    assertThatThrownBy(() -> new AudioClip(0, new float[1][1])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AudioClip(44100, new float[0][])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AudioClip(44100, new float[][] {new float[3], new float[4]}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel 1");
  }
}
