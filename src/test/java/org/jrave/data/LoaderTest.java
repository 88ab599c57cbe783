package org.jrave.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.jrave.audio.TestAudio;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.data.transform.Augmentation;
import org.jrave.data.transform.Compander;
import org.jrave.data.transform.Dequantize;
import org.jrave.data.transform.Derivative;
import org.jrave.data.transform.PolyphaseResampler;
import org.jrave.data.transform.RandomPitch;
import org.jrave.data.transform.SignalOptions;
import org.jrave.data.transform.PhaseMangle;
import org.jrave.data.transform.RandomCompress;
import org.jrave.data.transform.RandomGain;
import org.jrave.data.transform.RandomMute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoaderTest {
  @TempDir static Path tmp;
  static Path db;

  @BeforeAll
  static void database() throws Exception {
    db = tmp.resolve("db");
    new Preprocessor(PreprocessConfig.of(List.of(TestAudio.fixture("tabla_loop.flac"), TestAudio.fixture("piano_c4.ogg")),
        db, 44100, 1).withNumSignal(4096).withThreads(2)).run(ProgressListener.NONE);
  }

  private static List<float[]> epoch(TrainingData data, int epoch) {
    List<float[]> out = new ArrayList<>();
    Iterator<AudioBatch> it = data.train().epoch(epoch);
    while (it.hasNext()) {
      out.add(it.next().samples());
    }
    return out;
  }

  @Test
  void batchesHaveTheRequestedShapeAndAreDeterministicWhateverTheWorkers() throws Exception {
    LoaderConfig config = new LoaderConfig(4, 4096, List.of(Augmentation.values()), 7, 1);
    try (TrainingData one = TrainingData.open(db, 1, config);
        TrainingData two = TrainingData.open(db, 1, config.withWorkers(3));
        TrainingData other = TrainingData.open(db, 1, config.withSeed(8))) {
      int n = one.dataset().size(); // 441000 frames / 8192 per record -> 54
      assertThat(n).isEqualTo(54);
      assertThat(one.split().validation()).hasSize(2);
      assertThat(one.train().batchesPerEpoch()).isEqualTo(52 / 4);
      assertThat(one.validation().batchesPerEpoch()).isEqualTo(1);
      AudioBatch b = one.train().epoch(0).next();
      assertThat(b.batch()).isEqualTo(4);
      assertThat(b.channels()).isEqualTo(1);
      assertThat(b.length()).isEqualTo(4096);
      List<float[]> a = epoch(one, 0);
      List<float[]> c = epoch(two, 0);
      assertThat(a).hasSameSizeAs(c);
      for (int i = 0; i < a.size(); i++) {
        assertThat(a.get(i)).containsExactly(c.get(i));
      }
      assertThat(epoch(other, 0).get(0)).isNotEqualTo(a.get(0));
      assertThat(epoch(one, 1).get(0)).isNotEqualTo(a.get(0));
    }
  }

  @Test
  void validationKeepsTheLastPartialBatchAndOrder() throws Exception {
    LoaderConfig config = new LoaderConfig(8, 4096, List.of(), 1, 2);
    try (TrainingData data = TrainingData.open(db, 1, config)) {
      Iterator<AudioBatch> it = data.validation().epoch(0);
      AudioBatch v = it.next();
      assertThat(v.batch()).isEqualTo(2);
      assertThat(it.hasNext()).isFalse();
      // without augmentations a crop is a window of the stored record
      float[] item = data.dataset().item(data.split().validation()[0])[0];
      float first = v.get(0, 0, 0);
      int start = IntStream.range(0, item.length - 4096 + 1).filter(s -> item[s] == first
          && item[s + 4095] == v.get(0, 0, 4095)).findFirst().orElse(-1);
      assertThat(start).isNotNegative();
    }
  }

  @Test
  void splitFollowsTheReferenceRule() {
    assertThat(DatasetSplit.validationSize(1)).isZero();
    assertThat(DatasetSplit.validationSize(50)).isEqualTo(1);
    assertThat(DatasetSplit.validationSize(100)).isEqualTo(2);
    assertThat(DatasetSplit.validationSize(1_000_000)).isEqualTo(1000);
    DatasetSplit s = DatasetSplit.of(1000, 42);
    int[] all = IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.validation())).sorted().toArray();
    assertThat(all).containsExactly(IntStream.range(0, 1000).toArray());
    assertThat(s.validation()).hasSize(20).containsExactly(DatasetSplit.of(1000, 42).validation());
    assertThat(DatasetSplit.minimumExamplesForPca(131072)).isEqualTo(2); // 64 frames each
    assertThat(DatasetSplit.minimumExamplesForPca(8192)).isEqualTo(32);
  }

  @Test
  void augmentationsDoWhatTheySay() {
    SplittableRandom rng = new SplittableRandom(3);
    float[][] x = TestAudio.sine(1, 44100, 44100, 440, 0.5);
    // all-pass: energy preserved (after the transient), waveform changed
    float[][] y = new PhaseMangle(1, 20, 2000, 44100).apply(new float[][] {x[0].clone()}, rng);
    assertThat(energy(y[0], 4000)).isCloseTo(energy(x[0], 4000), within(0.01 * energy(x[0], 4000)));
    assertThat(maxDiff(x[0], y[0])).isGreaterThan(0.01);
    // dequantize: positive noise below one 16-bit step
    float[][] d = new Dequantize(16).apply(new float[][] {new float[1000]}, rng);
    for (float v : d[0]) {
      assertThat(v).isBetween(0f, 1f / 65536);
    }
    // gain: limited to peak 1, within range otherwise
    float[][] g = new RandomGain(3, 3, 1, true).apply(new float[][] {{0.9f, -0.2f}}, rng);
    assertThat(g[0][0]).isCloseTo(1f, within(1e-6f));
    float[][] h = new RandomGain(-6, -6, 1, true).apply(new float[][] {{0.5f}}, rng);
    assertThat(h[0][0]).isCloseTo(0.5f * (float) Math.pow(10, -6 / 20.0), within(1e-6f));
    assertThat(new RandomMute(1).apply(new float[][] {{0.3f, 0.4f}}, rng)[0]).containsOnly(0f);
    assertThat(new RandomMute(0).apply(new float[][] {{0.3f}}, rng)[0]).containsExactly(0.3f);
    assertThat(Augmentation.parse("compress.gin")).isEqualTo(Augmentation.COMPRESS);
    assertThat(Augmentation.parse("phase-mangle")).isEqualTo(Augmentation.PHASE_MANGLE);
  }

  @Test
  void companderFollowsItsTransferFunction() {
    // A steady sine at -40 dB peak through (-80,-80) (-40,-20) (0,0): the level settles to -20 dB.
    Compander c = new Compander(0.01, 0.01, 0, new double[] {-80, -80, -40, -20}, 0, 0);
    assertThat(c.transferDb(-40)).isCloseTo(-20, within(1e-9));
    assertThat(c.transferDb(-60)).isCloseTo(-50, within(1e-9));
    assertThat(c.transferDb(-100)).isCloseTo(-100, within(1e-9)); // below the first point: unity gain
    assertThat(c.transferDb(-10)).isCloseTo(-5, within(1e-9));
    float[][] x = {new float[44100]};
    Arrays.fill(x[0], 0.01f); // DC at -40 dBFS
    c.process(x, 44100);
    assertThat((double) x[0][44099]).isCloseTo(0.1, within(1e-4));
    // soft knee is continuous and smooth around the joint
    Compander soft = new Compander(0.01, 0.01, 6, new double[] {-80, -80, -40, -20}, 0, 0);
    assertThat(soft.transferDb(-43)).isCloseTo(c.transferDb(-43), within(1e-9));
    assertThat(soft.transferDb(-40)).isLessThan(c.transferDb(-40));
    // and the random augmentation with g = 0 boosts a quiet signal
    float[][] q = {new float[44100]};
    Arrays.fill(q[0], 0.01f);
    new RandomCompress(-40, 0, 0, 0.1, 0.1, 1, 44100).apply(q, new SplittableRandom(1));
    assertThat((double) q[0][44099]).isGreaterThan(0.5);
  }

  /** Every item of the dataset in order, one per row, through a loader in validation mode (no shuffle). */
  private static List<float[]> items(LoaderConfig config) throws Exception {
    List<float[]> out = new ArrayList<>();
    try (AudioDataset dataset = Datasets.open(db, 1, config.nSignal());
        AudioLoader loader = new AudioLoader(dataset, IntStream.range(0, dataset.size()).toArray(), config, false)) {
      Iterator<AudioBatch> it = loader.epoch(0);
      while (it.hasNext()) {
        AudioBatch b = it.next();
        for (int i = 0; i < b.batch(); i++) {
          out.add(Arrays.copyOfRange(b.samples(), i * b.length(), (i + 1) * b.length()));
        }
      }
    }
    return out;
  }

  private static final LoaderConfig PLAIN = new LoaderConfig(8, 4096, List.of(), 11, 2);

  @Test
  void normalizeBringsEveryItemsPeakToFullScaleWithAtMost30Db() throws Exception {
    List<float[]> plain = items(PLAIN);
    List<float[]> normalized = items(PLAIN.withSignal(new SignalOptions(0, 0, true, false)));
    assertThat(normalized).hasSameSizeAs(plain).hasSize(54);
    int capped = 0;
    for (int i = 0; i < plain.size(); i++) {
      double peak = peak(plain.get(i));
      double gain = Math.min(Math.pow(10, 30 / 20.0), 1 / peak); // the same crop: normalize draws nothing
      capped += gain < 1 / peak ? 1 : 0; // the item's fading tail, below -30 dBFS
      for (int n = 0; n < 4096; n++) {
        assertThat((double) normalized.get(i)[n]).isCloseTo(plain.get(i)[n] * gain, within(1e-5));
      }
      assertThat(peak(normalized.get(i))).isCloseTo(Math.min(1, peak * gain), within(1e-5));
    }
    assertThat(capped).as("items raised by the full 30 dB and no more").isBetween(1, 53);
  }

  @Test
  void derivativeDeliversTheFirstDifferenceAfterNormalisation() throws Exception {
    List<float[]> plain = items(PLAIN.withSignal(new SignalOptions(0, 0, true, false)));
    List<float[]> diff = items(PLAIN.withSignal(new SignalOptions(0, 0, true, true)));
    for (int i = 0; i < plain.size(); i++) {
      float[] x = plain.get(i);
      float[] d = diff.get(i);
      assertThat(d[0]).isEqualTo(0.5f * x[0]);
      for (int n = 1; n < x.length; n++) {
        assertThat(d[n]).isCloseTo(0.5f * x[n] - 0.5f * x[n - 1], within(1e-6f));
      }
    }
    // The listening integrator undoes it up to its leak below ~10 Hz: a 440 Hz tone comes back at half amplitude.
    float[] tone = TestAudio.sine(1, 44100, 44100, 440, 0.5)[0];
    float[] back = Derivative.integrate(new Derivative().apply(new float[][] {tone.clone()}, null)[0], 44100);
    assertThat(peak(Arrays.copyOfRange(back, 22050, 44100))).isCloseTo(0.25, within(0.01));
  }

  @Test
  void randomPitchResamplesHalfTheItemsBeforeTheCrop() throws Exception {
    // 1.5,1.5 admits only the ratio 3/2: a shifted item is resampled by 2/3 (2/3 as long, 1.5x the pitch).
    LoaderConfig config = PLAIN.withSignal(new SignalOptions(1.5, 1.5, false, false));
    List<float[]> crops = items(config);
    PolyphaseResampler shift = new PolyphaseResampler(2, 3);
    int plain = 0;
    int shifted = 0;
    try (AudioDataset dataset = Datasets.open(db, 1, 4096)) {
      for (int i = 0; i < crops.size(); i++) {
        float[] item = dataset.item(i)[0];
        float[] crop = crops.get(i);
        if (windowOf(crop, item)) {
          plain++;
        } else {
          assertThat(windowOf(crop, shift.apply(item))).as("item %d is neither itself nor shifted by 3/2", i).isTrue();
          shifted++;
        }
      }
    }
    assertThat(plain + shifted).isEqualTo(54);
    assertThat(shifted).as("p = 0.5").isBetween(15, 39);
  }

  @Test
  void pitchShiftOfRealAudioMatchesTheStoredSamples() throws Exception {
    try (AudioDataset dataset = Datasets.open(db, 1, 4096)) {
      // The loud item with the least high-frequency content: the check below ignores what the
      // 3/2 shift's low-pass removes above 14.7 kHz.
      float[] item = null;
      double least = Double.MAX_VALUE;
      for (int i = 0; i < dataset.size(); i++) {
        float[] x = dataset.item(i)[0];
        double hf = 0;
        double e = 0;
        for (int n = 1; n < x.length; n++) {
          hf += (x[n] - x[n - 1]) * (x[n] - x[n - 1]);
          e += x[n] * x[n];
        }
        if (peak(x) > 0.1 && hf / e < least) {
          least = hf / e;
          item = x;
        }
      }
      double peak = peak(item);
      // Up a fifth (3/2): 2/3 as many samples, and output 2m falls on input 3m.
      float[] up = new RandomPitch(1.5, 1.5, 4096, 1).apply(new float[][] {item.clone()}, new SplittableRandom(1))[0];
      assertThat(up).hasSize((8192 * 2 + 2) / 3);
      // Down an octave (1/2): twice as many samples, even outputs are the input.
      float[] down = new RandomPitch(0.5, 0.5, 4096, 1).apply(new float[][] {item.clone()}, new SplittableRandom(1))[0];
      assertThat(down).hasSize(2 * 8192);
      double errUp = 0;
      double errDown = 0;
      for (int m = 200; m < 2500; m++) {
        errUp = Math.max(errUp, Math.abs(up[2 * m] - item[3 * m]));
      }
      for (int m = 200; m < 8000; m++) {
        errDown = Math.max(errDown, Math.abs(down[2 * m] - item[m]));
      }
      assertThat(errUp / peak).isLessThan(0.02);
      assertThat(errDown / peak).isLessThan(0.002);
      // Odd outputs of the octave down interpolate: close to the neighbours' mean for this low-passed item.
      double errOdd = 0;
      for (int m = 200; m < 8000; m++) {
        errOdd = Math.max(errOdd, Math.abs(down[2 * m + 1] - 0.5 * (item[m] + item[m + 1])));
      }
      assertThat(errOdd / peak).isLessThan(0.1);
    }
  }

  private static boolean windowOf(float[] crop, float[] item) {
    for (int s = 0; s + crop.length <= item.length; s++) {
      if (item[s] == crop[0] && Arrays.equals(crop, 0, crop.length, item, s, s + crop.length)) {
        return true;
      }
    }
    return false;
  }

  private static double peak(float[] x) {
    double p = 0;
    for (float v : x) {
      p = Math.max(p, Math.abs(v));
    }
    return p;
  }

  private static double energy(float[] x, int from) {
    double e = 0;
    for (int i = from; i < x.length; i++) {
      e += x[i] * x[i];
    }
    return e;
  }

  private static double maxDiff(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
