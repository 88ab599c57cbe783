package org.jrave.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioInfo;
import org.jrave.audio.AudioTarget;
import org.jrave.data.DatasetException;
import org.jrave.data.preprocess.AudioFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jrave duration}: total duration of the audio files under the given paths. */
@Command(name = "duration", mixinStandardHelpOptions = true,
    description = "Prints the total duration of the audio files found (recursively) under the given files and folders.")
public final class DurationCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
  List<Path> inputs;

  @Option(names = "--exact", description = "Decode every file instead of trusting header durations.")
  boolean exact;

  @Option(names = {"--verbose", "-v"}, description = "Print every file's duration.")
  boolean verbose;

  @Override
  public Integer call() {
    AudioFiles.Found found;
    try {
      found = AudioFiles.find(inputs, AudioFiles.DEFAULT_EXTENSIONS);
    } catch (DatasetException e) {
      throw new UserError(e.getMessage(), e);
    }
    AudioDecoder decoder = new AudioDecoder();
    double total = 0;
    int ok = 0;
    List<String> skipped = new ArrayList<>();
    for (Path file : found.files()) {
      try {
        double s = seconds(decoder, file);
        total += s;
        ok++;
        if (verbose) {
          System.out.printf(Locale.ROOT, "%10.3f s  %s%n", s, file);
        }
      } catch (AudioDecodeException e) {
        skipped.add(file + ": " + e.reason());
      }
    }
    System.out.printf(Locale.ROOT, "%s (%.3f s) in %d audio file(s)%n", Durations.format(total), total, ok);
    if (!skipped.isEmpty()) {
      System.out.printf("%d file(s) could not be read:%n", skipped.size());
      skipped.forEach(s -> System.out.println("  " + s));
    }
    if (ok == 0) {
      throw new UserError("no readable audio files in " + inputs);
    }
    return 0;
  }

  private double seconds(AudioDecoder decoder, Path file) throws AudioDecodeException {
    if (!exact) {
      AudioInfo info = decoder.probe(file);
      if (info.exactDuration() && !Double.isNaN(info.seconds())) {
        return info.seconds();
      }
    }
    return decoder.stream(file, AudioTarget.asIs(), (p, n) -> {}).seconds();
  }
}
