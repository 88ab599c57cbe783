package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.TestAudio;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.data.preprocess.SkippedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;

class PreprocessorTest {
  static final int N_SIGNAL = 8192; // records of 16384 frames keep the test small
  @TempDir Path tmp;

  private Path inputs() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in/sub"));
    for (String f : new String[] {"tabla_loop.flac", "sonicpi_bd_boom.flac", "sonicpi_hat_sci.flac"}) {
      Files.copy(TestAudio.fixture(f), in.resolve(f));
    }
    Files.copy(TestAudio.fixture("tabla_loop.mp3"), tmp.resolve("in/tabla.MP3"));
    Files.writeString(tmp.resolve("in/readme.txt"), "not audio");
    Files.writeString(tmp.resolve("in/fake.wav"), "RIFF but not really a wave file at all", StandardCharsets.UTF_8);
    return tmp.resolve("in");
  }

  private PreprocessConfig config(Path in, Path db) {
    return PreprocessConfig.of(List.of(in), db, 44100, 1).withNumSignal(N_SIGNAL).withThreads(2);
  }

  /** Reads every (key, value) with plain LMDB and parses values with the independent wire reader. */
  private static List<Map.Entry<String, SpecWireReader.Example>> readBack(Path db) {
    List<Map.Entry<String, SpecWireReader.Example>> out = new ArrayList<>();
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).open(db.toFile(), EnvFlags.MDB_RDONLY_ENV)) {
      Dbi<byte[]> dbi = env.openDbi((byte[]) null);
      try (Txn<byte[]> txn = env.txnRead(); Cursor<byte[]> c = dbi.openCursor(txn)) {
        for (boolean ok = c.first(); ok; ok = c.next()) {
          out.add(Map.entry(new String(c.key(), StandardCharsets.US_ASCII), SpecWireReader.parse(c.val())));
        }
      }
    }
    return out;
  }

  @Test
  void writesReferenceFormatRecordsThatAnIndependentReaderUnderstands() throws Exception {
    Path in = inputs();
    Path db = tmp.resolve("db");
    PreprocessReport report = new Preprocessor(config(in, db)).run(ProgressListener.NONE);

    assertThat(report.filesRead()).isEqualTo(4);
    assertThat(report.skipped()).extracting(s -> s.path().getFileName().toString()).containsExactly("fake.wav");
    assertThat(report.skipped().get(0).reason()).isNotBlank();
    assertThat(report.ignoredByExtension()).containsEntry("txt", 1);

    // Nothing dropped: the records hold every decoded frame plus less than one record of padding.
    AudioDecoder decoder = new AudioDecoder();
    long frames = 0;
    for (Path f : List.of(in.resolve("sub/tabla_loop.flac"), in.resolve("sub/sonicpi_bd_boom.flac"),
        in.resolve("sub/sonicpi_hat_sci.flac"), in.resolve("tabla.MP3"))) {
      frames += decoder.decode(f, AudioTarget.of(44100, 1)).frames();
    }
    int recordFrames = 2 * N_SIGNAL;
    assertThat(report.totalExamples()).isEqualTo((frames + recordFrames - 1) / recordFrames);
    assertThat(report.paddingSeconds() * 44100).isCloseTo(report.totalExamples() * recordFrames - frames, within(1.0));
    assertThat(report.secondsRead()).isCloseTo(frames / 44100.0, within(1e-6));

    List<Map.Entry<String, SpecWireReader.Example>> records = readBack(db);
    assertThat(records).hasSize((int) report.totalExamples());
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).getKey()).isEqualTo(String.format("%08d", i));
      SpecWireReader.Example e = records.get(i).getValue();
      assertThat(e.metadata()).isEmpty();
      SpecWireReader.Buffer b = e.buffers().get("waveform");
      assertThat(b.shape()).containsExactly(1, 2 * recordFrames);
      assertThat(b.samplingRate()).isEqualTo(44100);
      assertThat(b.precision()).isEqualTo(3);
      assertThat(b.data()).hasSize(2 * recordFrames);
    }
    // Files are taken in path order (in/sub/... before in/tabla.MP3): record 0 is the first frames
    // of the stereo bass drum, mixed down to mono and stored as int16.
    float[] mp3 = decoder.decode(in.resolve("sub/sonicpi_bd_boom.flac"), AudioTarget.of(44100, 1)).samples()[0];
    byte[] data = records.get(0).getValue().buffers().get("waveform").data();
    for (int i = 0; i < recordFrames; i += 97) {
      short s = (short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8));
      assertThat((int) s).isCloseTo((int) Math.rint(mp3[i] * 32768), within(1));
    }
    assertThat(Files.readString(db.resolve("metadata.yaml")))
        .isEqualTo("channels: 1\nlazy: false\nn_seconds: " + report.totalExamples() * recordFrames / 44100.0 + "\nsr: 44100\n");
  }

  @Test
  void appendingContinuesIdsAndRefusesAMismatchedDatabase() throws Exception {
    Path in = inputs();
    Path db = tmp.resolve("db");
    long first = new Preprocessor(config(in.resolve("sub"), db)).run(ProgressListener.NONE).totalExamples();
    List<Map.Entry<String, SpecWireReader.Example>> before = readBack(db);
    // the whole folder again: only the files not yet in the database are added
    PreprocessReport again = new Preprocessor(config(in, db)).run(ProgressListener.NONE);
    assertThat(again.alreadyInDatabase()).isEqualTo(3);
    assertThat(again.filesRead()).isEqualTo(1); // tabla.MP3
    assertThat(again.examplesWritten()).isPositive();
    assertThat(again.totalExamples()).isEqualTo(first + again.examplesWritten());
    List<Map.Entry<String, SpecWireReader.Example>> records = readBack(db);
    assertThat(records.get(records.size() - 1).getKey()).isEqualTo(String.format("%08d", again.totalExamples() - 1));
    for (int i = 0; i < before.size(); i++) { // appending never rewrites what was there
      assertThat(records.get(i).getValue().buffers().get("waveform").data())
          .isEqualTo(before.get(i).getValue().buffers().get("waveform").data());
    }
    assertThatThrownBy(() -> new Preprocessor(config(in.resolve("sub"), db)).run(ProgressListener.NONE))
        .hasMessageContaining("already in");

    PreprocessConfig stereo = PreprocessConfig.of(List.of(in), db, 44100, 2).withNumSignal(N_SIGNAL);
    assertThatThrownBy(() -> new Preprocessor(stereo).run(ProgressListener.NONE))
        .isInstanceOf(DatasetException.class).hasMessageContaining("--channels 2").hasMessageContaining("choose another --output");
    PreprocessConfig otherRate = PreprocessConfig.of(List.of(in), db, 48000, 1).withNumSignal(N_SIGNAL);
    assertThatThrownBy(() -> new Preprocessor(otherRate).run(ProgressListener.NONE)).hasMessageContaining("--sr 48000");
    assertThatThrownBy(() -> new Preprocessor(config(in, db).withNumSignal(4096)).run(ProgressListener.NONE))
        .hasMessageContaining("--num-signal");
    assertThat(readBack(db)).hasSize(records.size()); // nothing lost
  }

  @Test
  void refusesOutputsThatAreNotDatasets() throws Exception {
    Path in = inputs();
    Path file = Files.writeString(tmp.resolve("song.wav"), "x");
    assertThatThrownBy(() -> new Preprocessor(config(in, file)).run(ProgressListener.NONE))
        .isInstanceOf(DatasetException.class).hasMessageContaining("is an existing file");
    assertThat(Files.readString(file)).isEqualTo("x");
    // a folder of the user's own files
    assertThatThrownBy(() -> new Preprocessor(config(in, in)).run(ProgressListener.NONE))
        .hasMessageContaining("neither empty nor a dataset");
    assertThat(Files.exists(in.resolve("data.mdb"))).isFalse();
    // an LMDB database of another kind
    Path foreign = Files.createDirectories(tmp.resolve("foreign"));
    try (Env<byte[]> env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(1 << 20).open(foreign.toFile())) {
      env.openDbi((byte[]) null, org.lmdbjava.DbiFlags.MDB_CREATE).put("00000000".getBytes(), "{\"not\": \"audio\"}".getBytes());
    }
    assertThatThrownBy(() -> new Preprocessor(config(in, foreign)).run(ProgressListener.NONE))
        .hasMessageContaining("not an AudioExample dataset");
    Path readOnly = Files.createDirectories(tmp.resolve("ro"));
    readOnly.toFile().setWritable(false);
    if (!Files.isWritable(readOnly)) { // root can write anywhere
      assertThatThrownBy(() -> new Preprocessor(config(in, readOnly.resolve("db"))).run(ProgressListener.NONE))
          .hasMessageContaining("choose a writable location");
    }
  }

  @Test
  void inputWithoutUsableAudioIsAnErrorAndLeavesNothingBehind() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("junk"));
    Files.writeString(in.resolve("a.mp3"), "no audio here");
    Files.write(in.resolve("b.wav"), new byte[0]);
    Path db = tmp.resolve("db");
    assertThatThrownBy(() -> new Preprocessor(config(in, db)).run(ProgressListener.NONE))
        .isInstanceOf(DatasetException.class).hasMessageContaining("no usable audio").hasMessageContaining("a.mp3");
    assertThat(db).doesNotExist();
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> new Preprocessor(config(empty, db)).run(ProgressListener.NONE)).hasMessageContaining("no audio files found");
  }

  @Test
  void aCancelledRunLeavesAReadableDatabase() throws Exception {
    Path in = inputs();
    Path db = tmp.resolve("db");
    Preprocessor p = new Preprocessor(config(in, db));
    PreprocessReport report = p.run(new ProgressListener() {
      @Override
      public void fileDone(Path file, double seconds, String skipReason) {
        if (skipReason == null) {
          p.cancel(); // stop after the first file read
        }
      }
    });
    assertThat(report.interrupted()).isTrue();
    assertThat(report.filesRead()).isEqualTo(1);
    try (AudioDataset ds = Datasets.open(db, 1, N_SIGNAL)) {
      assertThat(ds.size()).isEqualTo((int) report.totalExamples()).isPositive();
      for (int i = 0; i < ds.size(); i++) {
        assertThat(ds.item(i)[0]).hasSize(2 * N_SIGNAL);
      }
    }
  }

  @Test
  void lazyDatabasesReferenceFilesAndAreReadBackInWindows() throws Exception {
    Path in = inputs();
    Path db = tmp.resolve("lazy");
    PreprocessReport report = new Preprocessor(config(in, db).withLazy(true)).run(ProgressListener.NONE);
    assertThat(report.skipped()).extracting(SkippedFile::path).extracting(Path::getFileName).extracting(Path::toString)
        .containsExactly("fake.wav");
    List<Map.Entry<String, SpecWireReader.Example>> records = readBack(db);
    assertThat(records).hasSize(4);
    Map<String, String> flac = records.stream().map(e -> e.getValue().metadata())
        .filter(m -> m.get("path").endsWith("tabla_loop.flac")).findFirst().orElseThrow();
    assertThat(Double.parseDouble(flac.get("length"))).isCloseTo(5.0, within(1e-3));
    assertThat(flac.get("channels")).isEqualTo("1");
    assertThat(Path.of(flac.get("path"))).isAbsolute();
    assertThat(Files.readString(db.resolve("metadata.yaml"))).contains("lazy: true");

    try (AudioDataset ds = Datasets.open(db, 1, N_SIGNAL)) {
      // tabla 5 s = 220500 frames -> 26 windows; boom 1.71 s -> 9; hat 0.1 s -> 1 (padded); mp3 ~5 s -> 26
      assertThat(ds.size()).isBetween(60, 64);
      float[][] x = ds.item(ds.size() - 1);
      assertThat(x[0]).hasSize(2 * N_SIGNAL);
      assertThat(x[0][2 * N_SIGNAL - 1]).isZero(); // past the end of the last file: padding
    }
  }
}
