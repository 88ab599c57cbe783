package org.jrave.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFileTest {

  @TempDir Path dir;

  /** A .npy file with the given version, header text (padded with spaces + '\n') and data. */
  private static byte[] npy(int major, String header, byte[] data) {
    int prefix = major == 1 ? 10 : 12;
    int len = header.length() + 1;
    int total = ((prefix + len + 63) / 64) * 64;
    String padded = header + " ".repeat(total - prefix - len) + "\n";
    byte[] h = padded.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      b.putShort((short) h.length);
    } else {
      b.putInt(h.length);
    }
    return b.put(h).put(data).array();
  }

  private static String header(String descr, boolean fortran, String shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  }

  private static ByteBuffer buf(int bytes, ByteOrder order) {
    return ByteBuffer.allocate(bytes).order(order);
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  @Test
  void roundTripIsBitExact() throws IOException {
    Random rnd = new Random(7);
    float[] data = new float[2 * 3 * 4];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    data[0] = -0.0f;
    data[1] = Float.MIN_VALUE;
    data[2] = Float.NaN;
    data[3] = Float.NEGATIVE_INFINITY;
    NpyArray a = new NpyArray(new long[] {2, 3, 4}, data);
    Path p = dir.resolve("a.npy");
    NpyFile.write(p, a);
    NpyArray back = NpyFile.read(p);
    assertThat(back.shape()).containsExactly(2, 3, 4);
    assertThat(back).isEqualTo(a);
    for (int i = 0; i < data.length; i++) {
      assertThat(Float.floatToRawIntBits(back.data()[i])).isEqualTo(Float.floatToRawIntBits(data[i]));
    }
  }

  @Test
  void writesNumpyStyleV1Header() throws IOException {
    Path p = dir.resolve("h.npy");
    NpyFile.write(p, new NpyArray(new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    byte[] bytes = Files.readAllBytes(p);
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(Arrays.copyOf(bytes, 6)).containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y');
    assertThat(bytes[6]).isEqualTo((byte) 1);
    assertThat(bytes[7]).isEqualTo((byte) 0);
    int hlen = Short.toUnsignedInt(b.getShort(8));
    assertThat((10 + hlen) % 64).isZero();
    String header = new String(bytes, 10, hlen, StandardCharsets.ISO_8859_1);
    assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").endsWith("\n");
    assertThat(header.strip()).isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
    assertThat(bytes.length).isEqualTo(10 + hlen + 24);
    assertThat(b.getFloat(10 + hlen)).isEqualTo(1f);
    assertThat(b.getFloat(10 + hlen + 20)).isEqualTo(6f);
  }

  @Test
  void oneDimensionalAndScalarShapesUsePythonTupleSyntax() throws IOException {
    Path p1 = dir.resolve("v.npy");
    NpyFile.write(p1, new NpyArray(new long[] {5}, new float[5]));
    assertThat(new String(Files.readAllBytes(p1), StandardCharsets.ISO_8859_1)).contains("'shape': (5,), }");
    assertThat(NpyFile.read(p1).shape()).containsExactly(5);

    Path p0 = dir.resolve("s.npy");
    NpyFile.write(p0, new NpyArray(new long[0], new float[] {42f}));
    assertThat(new String(Files.readAllBytes(p0), StandardCharsets.ISO_8859_1)).contains("'shape': (), }");
    NpyArray s = NpyFile.read(p0);
    assertThat(s.rank()).isZero();
    assertThat(s.data()).containsExactly(42f);

    Path pe = dir.resolve("e.npy");
    NpyFile.write(pe, new NpyArray(new long[] {0, 3}, new float[0]));
    assertThat(NpyFile.read(pe).shape()).containsExactly(0, 3);
  }

  @Test
  void readsFloat32BothByteOrders() throws IOException {
    ByteBuffer le = buf(8, ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2.25f);
    ByteBuffer be = buf(8, ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2.25f);
    assertThat(NpyFile.read(file("le.npy", npy(1, header("<f4", false, "(2,)"), le.array()))).data())
        .containsExactly(1.5f, -2.25f);
    assertThat(NpyFile.read(file("be.npy", npy(1, header(">f4", false, "(2,)"), be.array()))).data())
        .containsExactly(1.5f, -2.25f);
  }

  @Test
  void readsFloat64AsFloat() throws IOException {
    ByteBuffer le = buf(16, ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(1e300);
    ByteBuffer be = buf(16, ByteOrder.BIG_ENDIAN).putDouble(-1.0 / 3).putDouble(2.0);
    assertThat(NpyFile.read(file("f8.npy", npy(1, header("<f8", false, "(2,)"), le.array()))).data())
        .containsExactly((float) 0.1, Float.POSITIVE_INFINITY);
    assertThat(NpyFile.read(file("bf8.npy", npy(1, header(">f8", false, "(2,)"), be.array()))).data())
        .containsExactly((float) (-1.0 / 3), 2f);
  }

  @Test
  void readsIntegersAsFloat() throws IOException {
    ByteBuffer i2 = buf(6, ByteOrder.LITTLE_ENDIAN).putShort((short) -32768).putShort((short) 7).putShort((short) 32767);
    assertThat(NpyFile.read(file("i2.npy", npy(1, header("<i2", false, "(3,)"), i2.array()))).data())
        .containsExactly(-32768f, 7f, 32767f);
    ByteBuffer bi2 = buf(4, ByteOrder.BIG_ENDIAN).putShort((short) -2).putShort((short) 300);
    assertThat(NpyFile.read(file("bi2.npy", npy(1, header(">i2", false, "(2,)"), bi2.array()))).data())
        .containsExactly(-2f, 300f);
    ByteBuffer i4 = buf(8, ByteOrder.LITTLE_ENDIAN).putInt(-123456).putInt(Integer.MAX_VALUE);
    assertThat(NpyFile.read(file("i4.npy", npy(1, header("<i4", false, "(2,)"), i4.array()))).data())
        .containsExactly(-123456f, 2147483648f);
    ByteBuffer i8 = buf(16, ByteOrder.LITTLE_ENDIAN).putLong(-5).putLong(1L << 40);
    assertThat(NpyFile.read(file("i8.npy", npy(1, header("<i8", false, "(2,)"), i8.array()))).data())
        .containsExactly(-5f, (float) (1L << 40));
    assertThat(NpyFile.read(file("u1.npy", npy(1, header("|u1", false, "(2,)"), new byte[] {(byte) 255, 3}))).data())
        .containsExactly(255f, 3f);
    assertThat(NpyFile.read(file("i1.npy", npy(1, header("|i1", false, "(2,)"), new byte[] {(byte) 255, 3}))).data())
        .containsExactly(-1f, 3f);
    ByteBuffer u8 = buf(8, ByteOrder.LITTLE_ENDIAN).putLong(-1L);
    assertThat(NpyFile.read(file("u8.npy", npy(1, header("<u8", false, "(1,)"), u8.array()))).data())
        .containsExactly(18446744073709551615f);
  }

  @Test
  void transposesFortranOrderToC() throws IOException {
    int n0 = 2;
    int n1 = 3;
    int n2 = 4;
    // Fortran order: first axis varies fastest. Element (i, j, k) has value 100i + 10j + k.
    ByteBuffer f = buf(n0 * n1 * n2 * 4, ByteOrder.LITTLE_ENDIAN);
    for (int k = 0; k < n2; k++) {
      for (int j = 0; j < n1; j++) {
        for (int i = 0; i < n0; i++) {
          f.putFloat(100 * i + 10 * j + k);
        }
      }
    }
    NpyArray a = NpyFile.read(file("f.npy", npy(1, header("<f4", true, "(2, 3, 4)"), f.array())));
    assertThat(a.shape()).containsExactly(2, 3, 4);
    int idx = 0;
    for (int i = 0; i < n0; i++) {
      for (int j = 0; j < n1; j++) {
        for (int k = 0; k < n2; k++) {
          assertThat(a.data()[idx++]).as("(%d,%d,%d)", i, j, k).isEqualTo(100 * i + 10 * j + k);
        }
      }
    }
  }

  @Test
  void transposesFortranOrderMatrixOfDoubles() throws IOException {
    // [[1, 2, 3], [4, 5, 6]] stored column by column.
    ByteBuffer f = buf(48, ByteOrder.BIG_ENDIAN);
    for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
      f.putDouble(v);
    }
    NpyArray a = NpyFile.read(file("fm.npy", npy(1, header(">f8", true, "(2, 3)"), f.array())));
    assertThat(a.data()).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void acceptsUnusualHeaderKeyOrderAndSpacing() throws IOException {
    ByteBuffer d = buf(8, ByteOrder.LITTLE_ENDIAN).putFloat(3f).putFloat(4f);
    String h = "{\"shape\":(2 ,1 ),'fortran_order':False,   'descr':'<f4'}";
    NpyArray a = NpyFile.read(file("odd.npy", npy(1, h, d.array())));
    assertThat(a.shape()).containsExactly(2, 1);
    assertThat(a.data()).containsExactly(3f, 4f);
  }

  @Test
  void readsVersion2And3Headers() throws IOException {
    ByteBuffer d = buf(4, ByteOrder.LITTLE_ENDIAN).putFloat(9f);
    assertThat(NpyFile.read(file("v2.npy", npy(2, header("<f4", false, "(1,)"), d.array()))).data()).containsExactly(9f);
    assertThat(NpyFile.read(file("v3.npy", npy(3, header("<f4", false, "(1, 1)"), d.array()))).shape())
        .containsExactly(1, 1);
  }

  @Test
  void rejectsBadFilesWithClearMessages() throws IOException {
    assertFails("magic.npy", "PK\u0003\u0004 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "bad magic");
    assertFails("tiny.npy", new byte[] {(byte) 0x93, 'N'}, "not a .npy file");
    assertFails("c8.npy", npy(1, header("<c8", false, "(1,)"), new byte[8]), "unsupported dtype '<c8'");
    assertFails("f2.npy", npy(1, header("<f2", false, "(1,)"), new byte[2]), "unsupported dtype '<f2'");
    assertFails("struct.npy", npy(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }",
        new byte[4]), "unsupported dtype");
    byte[] v4 = npy(1, header("<f4", false, "(1,)"), new byte[4]);
    v4[6] = 4;
    assertFails("v4.npy", v4, "unsupported .npy format version 4.0");
    assertFails("noshape.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}", new byte[4]), "shape");
    assertFails("garbage.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,) junk", new byte[4]),
        "malformed header");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] whole = npy(1, header("<f4", false, "(10, 10)"), new byte[400]);
    assertFails("cut.npy", Arrays.copyOf(whole, whole.length - 1), "truncated data (needs 400 bytes, only 399 present)");
    assertFails("cuthdr.npy", Arrays.copyOf(whole, 40), "truncated header");
  }

  private void assertFails(String name, byte[] content, String problem) throws IOException {
    Path p = file(name, content);
    assertThatThrownBy(() -> NpyFile.read(p)).isInstanceOf(IOException.class)
        .hasMessageContaining(p.toString()).hasMessageContaining(problem);
  }

  @Test
  void arrayValidatesShape() {
    assertThatThrownBy(() -> new NpyArray(new long[] {2, 3}, new float[5])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NpyArray(new long[] {-1}, new float[0])).isInstanceOf(IllegalArgumentException.class);
    long[] shape = {2};
    NpyArray a = new NpyArray(shape, new float[2]);
    shape[0] = 7;
    a.shape()[0] = 9;
    assertThat(a.shape()).containsExactly(2);
  }
}
