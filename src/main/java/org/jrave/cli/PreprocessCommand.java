package org.jrave.cli;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jrave.audio.ChannelMode;
import org.jrave.data.DatasetException;
import org.jrave.data.preprocess.AudioFiles;
import org.jrave.data.preprocess.PreprocessConfig;
import org.jrave.data.preprocess.PreprocessReport;
import org.jrave.data.preprocess.Preprocessor;
import org.jrave.data.preprocess.ProgressListener;
import org.jrave.data.preprocess.SkippedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jrave preprocess}: builds (or appends to) a RAVE dataset database from audio files. */
@Command(
    name = "preprocess",
    mixinStandardHelpOptions = true,
    description = {
      "Build a RAVE dataset from audio files of any format, rate and channel count.",
      "The dataset is an LMDB of AudioExample records, as the reference reads them. On an existing",
      "database it appends the files not yet added. File tails shorter than one example are packed",
      "into shared examples: nothing is dropped; only the last example is padded.",
    })
public final class PreprocessCommand implements Callable<Integer> {

  @Option(names = {"--input", "-i"}, required = true, arity = "1..*", paramLabel = "PATH",
      description = "Audio files or folders (searched recursively).")
  List<Path> inputs;

  @Option(names = {"--output", "-o"}, required = true, paramLabel = "DB", description = "Database folder (created if missing).")
  Path output;

  @Option(names = "--sr", defaultValue = "44100", description = "Sampling rate of the dataset (default ${DEFAULT-VALUE}).")
  int sampleRate;

  @Option(names = "--channels", defaultValue = "1", description = "Channels stored (default ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--channel-mode", defaultValue = "downmix",
      description = "downmix: average extra channels (stereo to mono = (L+R)/2); select: the reference's rule (keep channel i, ignore the rest). Default ${DEFAULT-VALUE}.")
  String channelMode;

  @Option(names = "--num-signal", defaultValue = "131072",
      description = "Training crop length; examples hold 2 x num-signal samples per channel (default ${DEFAULT-VALUE}).")
  int numSignal;

  @Option(names = "--lazy", description = "Store file references only; audio is decoded at training time.")
  boolean lazy;

  @Option(names = "--threads", description = "Decoding threads (default: all cores).")
  Integer threads;

  @Option(names = "--ext", split = ",", paramLabel = "EXT",
      description = "Extensions looked for in folders (default: wav,wave,aif,aiff,aifc,flac,ogg,oga,opus,mp3,m4a,aac,mp4,wma,caf).")
  List<String> extensions;

  @Option(names = "--max-db-size", defaultValue = "100", description = "Maximum database size in GiB (default ${DEFAULT-VALUE}).")
  long maxDbSizeGiB;

  @Override
  public Integer call() throws Exception {
    if (sampleRate < 1000 || sampleRate > 768000) {
      throw new UserError("--sr " + sampleRate + " is not a sampling rate; use e.g. --sr 44100 or --sr 48000");
    }
    if (channels < 1 || channels > 64) {
      throw new UserError("--channels " + channels + " must be between 1 and 64");
    }
    if (numSignal < 1024) {
      throw new UserError("--num-signal " + numSignal + " is too small; use e.g. the default 131072");
    }
    if (maxDbSizeGiB < 1) {
      throw new UserError("--max-db-size " + maxDbSizeGiB + " must be at least 1 (GiB)");
    }
    ChannelMode mode = switch (channelMode.toLowerCase(Locale.ROOT)) {
      case "downmix" -> ChannelMode.DOWNMIX;
      case "select" -> ChannelMode.SELECT;
      default -> throw new UserError("--channel-mode " + channelMode + " is unknown; use downmix or select");
    };
    Set<String> exts = extensions == null ? AudioFiles.DEFAULT_EXTENSIONS : normalise(extensions);
    PreprocessConfig config = new PreprocessConfig(inputs, output, sampleRate, channels, mode, numSignal, lazy,
        threads == null ? Runtime.getRuntime().availableProcessors() : Math.max(1, threads), exts, maxDbSizeGiB << 30);
    Preprocessor preprocessor = new Preprocessor(config);
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C: let the writer commit what is complete and update metadata.yaml before the JVM exits.
    Thread hook = new Thread(() -> {
      preprocessor.cancel();
      try {
        finished.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    Runtime.getRuntime().addShutdownHook(hook);
    PreprocessReport report;
    try {
      report = preprocessor.run(new BarListener());
    } catch (DatasetException e) {
      throw new UserError(e.getMessage(), e);
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // already shutting down
      }
    }
    System.out.print(summary(report, config));
    return 0;
  }

  private static Set<String> normalise(List<String> exts) {
    Set<String> out = new LinkedHashSet<>();
    for (String e : exts) {
      out.add(e.trim().toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""));
    }
    return out;
  }

  static String summary(PreprocessReport r, PreprocessConfig c) {
    StringBuilder s = new StringBuilder();
    double exampleSeconds = c.recordFrames() / (double) c.sampleRate();
    s.append(String.format(Locale.ROOT, "%s%d file(s) read: %s of audio in %.1f s (%.0fx real time)%n",
        r.interrupted() ? "INTERRUPTED: " : "", r.filesRead(), Durations.format(r.secondsRead()), r.wallSeconds(), r.realTimeFactor()));
    if (!r.skipped().isEmpty()) {
      s.append(String.format("%d file(s) skipped:%n", r.skipped().size()));
      for (SkippedFile f : r.skipped()) {
        s.append("  ").append(f.path()).append(": ").append(f.reason()).append(System.lineSeparator());
      }
    }
    if (r.alreadyInDatabase() > 0) {
      s.append(String.format("%d file(s) already in the database were not added again%n", r.alreadyInDatabase()));
    }
    if (!r.ignoredByExtension().isEmpty()) {
      s.append("ignored (not an audio extension): ").append(r.ignoredByExtension()).append(System.lineSeparator());
    }
    if (c.lazy()) {
      s.append(String.format("%d lazy record(s) written (file references); database now holds %d%n", r.examplesWritten(), r.totalExamples()));
    } else {
      s.append(String.format(Locale.ROOT, "%d example(s) of %.2f s written; database now holds %d (%s)%n",
          r.examplesWritten(), exampleSeconds, r.totalExamples(), Durations.format(r.totalExamples() * exampleSeconds)));
      s.append(String.format(Locale.ROOT, "nothing dropped: the leftovers of %d file(s) (tails, and files shorter than one example) were packed into shared examples; %.2f s of silence pad the last one%n",
          r.packedFiles(), r.paddingSeconds()));
    }
    if (r.enoughForPca()) {
      s.append(String.format("latent PCA: enough examples (%d, at least %d needed at --num-signal %d)%n",
          r.totalExamples(), r.minimumExamplesForPca(), c.numSignal()));
    } else {
      s.append(String.format(Locale.ROOT, "latent PCA: NOT enough examples: training needs at least %d (about %s of audio) for the latent PCA at --num-signal %d; add more audio%n",
          r.minimumExamplesForPca(), Durations.format(r.minimumExamplesForPca() * exampleSeconds), c.numSignal()));
    }
    s.append("database: ").append(c.output().toAbsolutePath()).append(System.lineSeparator());
    return s.toString();
  }

  /** Progress bar on stderr: files, hours of audio, throughput in x real time. */
  private static final class BarListener implements ProgressListener {
    private ProgressBar bar;
    private double seconds;
    private long t0;
    private int skipped;

    @Override
    public void started(int files) {
      t0 = System.nanoTime();
      bar = new ProgressBarBuilder().setTaskName("preprocess").setInitialMax(files).setStyle(ProgressBarStyle.ASCII)
          .setUnit(" files", 1).setUpdateIntervalMillis(500).continuousUpdate().build();
    }

    @Override
    public void fileDone(Path file, double s, String skipReason) {
      seconds += s;
      if (skipReason != null) {
        skipped++;
        System.err.println("\rskipped " + file + ": " + skipReason);
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, " %.2f h audio, %.0fx real time%s", seconds / 3600, seconds / Math.max(wall, 1e-3),
          skipped > 0 ? ", " + skipped + " skipped" : ""));
    }

    @Override
    public void finished() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
