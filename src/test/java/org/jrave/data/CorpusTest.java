package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test clips of the shared corpus (built by shared/data/make-corpus.sh; its test subset and
 * manifest lines are committed as test resources, licences in corpus/LICENSES.md): every clip is
 * read, and the audio stored matches the durations sox measured in MANIFEST.tsv, with nothing
 * dropped.
 */
class CorpusTest {

  @Test
  void everyTestClipIsReadAndNothingIsDropped(@TempDir Path tmp) throws Exception {
    Path manifest = Path.of(CorpusTest.class.getResource("/corpus/MANIFEST.tsv").toURI());
    Path corpus = manifest.getParent();
    double expected = Files.readAllLines(manifest).stream()
        .map(l -> l.split("\t"))
        .filter(f -> f[0].startsWith("test/"))
        .mapToDouble(f -> Double.parseDouble(f[7]))
        .sum();
    int files = (int) Files.readAllLines(manifest).stream().filter(l -> l.startsWith("test/")).count();

    PreprocessReport r = new Preprocessor(PreprocessConfig.of(List.of(corpus.resolve("test")), tmp.resolve("db"), 44100, 1)
        .withThreads(2)).run(ProgressListener.NONE);

    assertThat(r.skipped()).isEmpty();
    assertThat(r.filesRead()).isEqualTo(files);
    // mp3 decoders and sox disagree by a few ms per file on encoder delay and padding
    assertThat(r.secondsRead()).isCloseTo(expected, within(0.03 * files));
    int recordFrames = 2 * 131072;
    long frames = Math.round(r.secondsRead() * 44100);
    assertThat(r.totalExamples()).isEqualTo((frames + recordFrames - 1) / recordFrames);
    try (AudioDataset ds = Datasets.open(tmp.resolve("db"), 1, 131072)) {
      assertThat(ds.size()).isEqualTo((int) r.totalExamples());
      double energy = 0;
      for (float v : ds.item(0)[0]) {
        energy += v * v;
      }
      assertThat(energy).isPositive();
    }
  }
}
