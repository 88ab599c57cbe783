package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;

/** Databases laid out like the reference writes them, built here from the spec's golden bytes. */
class DatasetsTest {
  @TempDir Path tmp;

  private Path referenceDb(String yaml, String... hexValues) throws Exception {
    Path db = Files.createDirectories(tmp.resolve("ref"));
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(1 << 22).open(db.toFile())) {
      Dbi<byte[]> dbi = env.openDbi((byte[]) null, DbiFlags.MDB_CREATE);
      for (int i = 0; i < hexValues.length; i++) {
        dbi.put(String.format("%08d", i).getBytes(), SpecWireReader.hex(hexValues[i]));
      }
    }
    if (yaml != null) {
      Files.writeString(db.resolve("metadata.yaml"), yaml);
    }
    return db;
  }

  @Test
  void readsReferenceRecordsScaledBy32767() throws Exception {
    Path db = referenceDb("channels: 1\nlazy: false\nn_seconds: 0.0\nsr: 44100\n",
        AudioExampleCodecTest.GOLDEN_WAVEFORM, AudioExampleCodecTest.GOLDEN_WAVEFORM);
    try (AudioDataset ds = Datasets.open(db, 0, 2)) {
      assertThat(ds.size()).isEqualTo(2);
      assertThat(ds.sampleRate()).isEqualTo(44100);
      assertThat(ds.item(1)[0]).containsExactly(0f, 1 / 32767f, -1 / 32767f, 1f);
    }
    assertThatThrownBy(() -> Datasets.open(db, 2, 2)).isInstanceOf(DatasetException.class).hasMessageContaining("--channels 1");
  }

  @Test
  void worksWithoutMetadataYaml() throws Exception {
    Path db = referenceDb(null, AudioExampleCodecTest.GOLDEN_WAVEFORM);
    try (AudioDataset ds = Datasets.open(db, 0, 2)) {
      assertThat(ds.channels()).isEqualTo(1);
      assertThat(ds.sampleRate()).isEqualTo(44100);
    }
  }

  @Test
  void readsReferenceLazyRecordsWithTheirScaling() throws Exception {
    Path flac = org.jrave.audio.TestAudio.fixture("tabla_loop.flac");
    byte[] lazy = AudioExampleCodec.encode(new LazyRecord(flac.toString(), 5.0, 1));
    Path db = referenceDb("channels: 1\nlazy: true\nn_seconds: 5.0\nsr: 44100\n", java.util.HexFormat.of().formatHex(lazy));
    try (AudioDataset ds = Datasets.open(db, 1, 65536)) {
      assertThat(ds.size()).isEqualTo(3); // floor(220500 / 65536)
      float[] x = ds.item(1)[0];
      assertThat(x).hasSize(131072);
      float[] full = new org.jrave.audio.AudioDecoder().decode(flac, org.jrave.audio.AudioTarget.of(44100, 1)).samples()[0];
      for (int i = 0; i < 1000; i += 7) {
        assertThat(x[i]).isEqualTo((float) (Math.rint(full[65536 + i] * 32768) / 32768));
      }
    }
  }
}
