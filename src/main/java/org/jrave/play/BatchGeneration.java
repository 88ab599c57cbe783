package org.jrave.play;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.AudioDecodeException;
import org.jrave.audio.AudioDecoder;
import org.jrave.audio.AudioInfo;
import org.jrave.audio.AudioTarget;
import org.jrave.audio.DecodedAudio;
import org.jrave.audio.SignalResampler;
import org.jrave.train.log.SpectrogramImage;

/**
 * Runs a {@link GenerationPlan}: each input is decoded at the model's rate (any format FFmpeg
 * reads), transformed, resampled back to its own rate and written as 32-bit float WAV through a
 * temporary file and an atomic rename, so a failure never leaves a partial output. A file that
 * fails is reported and skipped; the others go on.
 */
public final class BatchGeneration {

  /** Progress of a run. */
  public interface Listener {
    void started(int files, double seconds);

    void fileDone(GenerationPlan.Item item, double seconds, String failure);

    default void finished() {}
  }

  /** What happened to one file. */
  public record Outcome(GenerationPlan.Item item, double seconds, double processingSeconds, String failure) {
    public boolean ok() {
      return failure == null;
    }
  }

  /** The outcomes in plan order, and the audio seconds processed per wall-clock second. */
  public record Report(List<Outcome> outcomes, double audioSeconds, double wallSeconds) {
    public long failures() {
      return outcomes.stream().filter(o -> !o.ok()).count();
    }

    public double realTimeFactor() {
      return audioSeconds / Math.max(wallSeconds, 1e-9);
    }
  }

  private final AudioTransform generator;
  private final int modelRate;
  private final boolean spectrograms;
  private final AudioDecoder decoder = new AudioDecoder();

  public BatchGeneration(AudioTransform generator, int modelRate, boolean spectrograms) {
    this.generator = generator;
    this.modelRate = modelRate;
    this.spectrograms = spectrograms;
  }

  public Report run(GenerationPlan plan, Listener listener) {
    double total = 0;
    for (GenerationPlan.Item item : plan.items()) {
      try {
        double s = decoder.probe(item.input()).seconds();
        total += Double.isNaN(s) ? 0 : s;
      } catch (AudioDecodeException e) {
        // reported when the file is processed
      }
    }
    listener.started(plan.items().size(), total);
    List<Outcome> outcomes = new ArrayList<>();
    double audio = 0;
    double wall = 0;
    for (GenerationPlan.Item item : plan.items()) {
      long t0 = System.nanoTime();
      Outcome o;
      try {
        double seconds = process(item);
        double took = (System.nanoTime() - t0) / 1e9;
        o = new Outcome(item, seconds, took, null);
        audio += seconds;
        wall += took;
      } catch (IOException | RuntimeException e) {
        String why = e instanceof AudioDecodeException d ? d.reason() : e.getMessage();
        o = new Outcome(item, 0, (System.nanoTime() - t0) / 1e9, why == null ? e.toString() : why);
      }
      outcomes.add(o);
      listener.fileDone(item, o.seconds(), o.failure());
    }
    listener.finished();
    return new Report(outcomes, audio, wall);
  }

  private double process(GenerationPlan.Item item) throws IOException {
    AudioInfo info = decoder.probe(item.input());
    int rate = info.sampleRate();
    DecodedAudio decoded = decoder.decode(item.input(), new AudioTarget(modelRate, 0, org.jrave.audio.ChannelMode.DOWNMIX));
    if (decoded.frames() == 0) {
      throw new IOException("contains no audio samples");
    }
    float[][] y = generator.transform(decoded.samples());
    float[][] back = SignalResampler.resample(y, modelRate, rate);
    Files.createDirectories(item.output().getParent());
    AtomicWav.write(item.output(), new AudioClip(rate, back));
    if (spectrograms) {
      Path png = item.output().resolveSibling(stem(item.output()) + ".png");
      SpectrogramImage.of(List.of(new SpectrogramImage.Panel("input: " + item.input().getFileName(), mono(decoded.samples())),
          new SpectrogramImage.Panel("output", mono(y))), modelRate).write(png);
    }
    return decoded.seconds();
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  private static float[] mono(float[][] x) {
    if (x.length == 1) {
      return x[0];
    }
    float[] m = new float[x[0].length];
    for (float[] c : x) {
      for (int i = 0; i < m.length; i++) {
        m[i] += c[i] / x.length;
      }
    }
    return m;
  }

}
