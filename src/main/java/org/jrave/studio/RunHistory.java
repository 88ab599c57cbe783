package org.jrave.studio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jrave.train.RunFolder;
import org.jrave.train.log.EventFileReader;
import org.jrave.train.log.proto.EventProtos.Event;
import org.jrave.train.log.proto.EventProtos.Summary;

/**
 * What one run has logged so far, read from its own TensorBoard event files (one per start of the
 * run: a resumed run adds a file) and followed as they grow. Scalars are kept; the validations' audio
 * is large, so only where it lies in the file is kept and it is read again when asked for.
 */
final class RunHistory {

  record Point(long step, double value, double wallTime) {}

  /** One validation: its step and where its audio event lies. */
  record Validation(long step, double wallTime, Path file, long audioOffset) {}

  private final RunFolder run;
  private final Map<Path, EventFileReader> readers = new TreeMap<>();
  private final Map<String, List<Point>> scalars = new TreeMap<>();
  private final TreeMap<Long, Validation> validations = new TreeMap<>();
  private double lastWallTime;

  RunHistory(RunFolder run) {
    this.run = run;
  }

  /** Reads what was logged since the last refresh. */
  synchronized void refresh() throws IOException {
    if (!Files.isDirectory(run.logs())) {
      return;
    }
    try (Stream<Path> files = Files.list(run.logs())) {
      files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents."))
          .forEach(f -> readers.computeIfAbsent(f, EventFileReader::new));
    }
    for (EventFileReader reader : readers.values()) {
      for (EventFileReader.Located located : reader.readNew()) {
        add(located, reader.file());
      }
    }
  }

  private void add(EventFileReader.Located located, Path file) {
    Event e = located.event();
    if (!e.hasSummary()) {
      return;
    }
    lastWallTime = Math.max(lastWallTime, e.getWallTime());
    for (Summary.Value v : e.getSummary().getValueList()) {
      if (v.hasSimpleValue()) {
        List<Point> series = scalars.computeIfAbsent(v.getTag(), t -> new ArrayList<>());
        // A resumed run logs again from its checkpoint's step: the newer values replace the older.
        while (!series.isEmpty() && series.get(series.size() - 1).step() >= e.getStep()) {
          series.remove(series.size() - 1);
        }
        series.add(new Point(e.getStep(), v.getSimpleValue(), e.getWallTime()));
      } else if (v.hasAudio() && v.getTag().equals("audio_val")) {
        validations.put(e.getStep(), new Validation(e.getStep(), e.getWallTime(), file, located.offset()));
      }
    }
  }

  /** Every scalar series, at most {@code maxPoints} points each (evenly thinned, the last kept). */
  synchronized Map<String, List<Point>> scalars(int maxPoints) {
    Map<String, List<Point>> out = new TreeMap<>();
    scalars.forEach((tag, series) -> out.put(tag, thin(series, maxPoints)));
    return out;
  }

  synchronized List<Validation> validations() {
    return new ArrayList<>(validations.values());
  }

  synchronized Validation validation(long step) {
    return validations.get(step);
  }

  /** Wall time (Unix seconds) of the newest event. */
  synchronized double lastWallTime() {
    return lastWallTime;
  }

  /** The newest step and the training speed over the last minute of logs (steps per second, 0 if unknown). */
  synchronized Speed speed() {
    List<Point> longest = scalars.values().stream().max(java.util.Comparator.comparingInt(List::size)).orElse(List.of());
    if (longest.isEmpty()) {
      return new Speed(0, 0);
    }
    Point last = longest.get(longest.size() - 1);
    Point first = last;
    for (int i = longest.size() - 1; i >= 0 && last.wallTime() - longest.get(i).wallTime() <= 60; i--) {
      first = longest.get(i);
    }
    double seconds = last.wallTime() - first.wallTime();
    return new Speed(last.step(), seconds > 0 ? (last.step() - first.step()) / seconds : 0);
  }

  record Speed(long step, double stepsPerSecond) {}

  /** The audio of one validation (a 16-bit WAV of every kept item: input, reconstruction, input, ...). */
  static byte[] audio(Validation v) throws IOException {
    Event e = EventFileReader.readOne(v.file(), v.audioOffset());
    for (Summary.Value value : e.getSummary().getValueList()) {
      if (value.hasAudio()) {
        return value.getAudio().getEncodedAudioString().toByteArray();
      }
    }
    throw new IOException("the validation event at step " + v.step() + " holds no audio");
  }

  private static List<Point> thin(List<Point> series, int maxPoints) {
    if (series.size() <= maxPoints) {
      return List.copyOf(series);
    }
    List<Point> out = new ArrayList<>(maxPoints);
    double stride = (series.size() - 1) / (double) (maxPoints - 1);
    for (int i = 0; i < maxPoints; i++) {
      out.add(series.get((int) Math.round(i * stride)));
    }
    return out;
  }
}
