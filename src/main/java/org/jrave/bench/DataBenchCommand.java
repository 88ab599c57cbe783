package org.jrave.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jrave.data.AudioBatch;
import org.jrave.data.LoaderConfig;
import org.jrave.data.TrainingData;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.data.transform.Augmentation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jrave bench-data}: preprocess throughput (seconds of audio per second of wall time) on a
 * folder, and loader throughput (batches/s with every augmentation), median of several runs.
 */
@Command(name = "bench-data", hidden = true, mixinStandardHelpOptions = true,
    description = "Benchmarks preprocess and the training loader.")
public final class DataBenchCommand implements Callable<Integer> {
  @Option(names = "--input", required = true, description = "Audio folder (e.g. the corpus orig/).")
  Path input;

  @Option(names = "--runs", defaultValue = "3")
  int runs;

  @Option(names = "--threads", defaultValue = "2")
  int threads;

  @Option(names = "--batches", defaultValue = "24", description = "Loader batches per run.")
  int batches;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("jrave-bench");
    try {
      List<Double> rtf = new ArrayList<>();
      List<Double> wall = new ArrayList<>();
      Path db = null;
      for (int r = 0; r < runs; r++) {
        db = work.resolve("db" + r);
        PreprocessConfig config = PreprocessConfig.of(List.of(input), db, 44100, 1).withThreads(threads);
        PreprocessReport report = new Preprocessor(config).run(ProgressListener.NONE);
        rtf.add(report.realTimeFactor());
        wall.add(report.wallSeconds());
        System.out.printf(Locale.ROOT, "preprocess run %d: %.1f s audio in %.2f s wall = %.1fx real time, %d examples%n",
            r, report.secondsRead(), report.wallSeconds(), report.realTimeFactor(), report.totalExamples());
      }
      System.out.printf(Locale.ROOT, "preprocess median: %.1fx real time, %.2f s wall (%d threads)%n", median(rtf), median(wall), threads);

      LoaderConfig config = LoaderConfig.defaults().withWorkers(threads).withAugmentations(List.of(
          Augmentation.PHASE_MANGLE, Augmentation.DEQUANTIZE, Augmentation.GAIN, Augmentation.MUTE, Augmentation.COMPRESS));
      List<Double> rates = new ArrayList<>();
      try (TrainingData data = TrainingData.open(db, 1, config)) {
        for (int r = 0; r < runs; r++) {
          long t0 = System.nanoTime();
          int n = 0;
          int epoch = 0;
          while (n < batches) {
            Iterator<AudioBatch> it = data.train().epoch(epoch++);
            while (it.hasNext() && n < batches) {
              it.next();
              n++;
            }
          }
          double s = (System.nanoTime() - t0) / 1e9;
          rates.add(n / s);
          System.out.printf(Locale.ROOT, "loader run %d: %d batches of 8x131072 in %.2f s = %.2f batches/s%n", r, n, s, n / s);
        }
      }
      System.out.printf(Locale.ROOT, "loader median: %.2f batches/s (8 x 131072, all augmentations, %d workers)%n", median(rates), threads);
      System.out.println("peak resident memory of this process: " + peakRss());
    } finally {
      try (Stream<Path> walk = Files.walk(work)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  private static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmHWM")).findFirst().orElse("unknown").replaceAll("\\s+", " ");
    } catch (Exception e) {
      return "unknown";
    }
  }
}
