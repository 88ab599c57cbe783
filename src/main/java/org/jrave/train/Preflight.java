package org.jrave.train;

import java.io.IOException;
import java.nio.file.Path;
import org.jrave.data.AudioDataset;
import org.jrave.data.DatasetSplit;
import org.jrave.data.Datasets;
import org.jrave.data.transform.SignalOptions;
import org.jrave.model.config.RaveConfig;

/**
 * Checks made before any training work, each failing with a message that says what to do: the
 * database must match the configuration's sample rate and channels and hold enough audio for one
 * training batch plus held-out validation examples.
 */
public final class Preflight {

  /** A problem with the user's inputs (the CLI prints the message and exits with status 2). */
  public static final class Problem extends RuntimeException {
    public Problem(String message) {
      super(message);
    }
  }

  private Preflight() {}

  /** What the checks found out about the database. */
  public record Data(int channels, int sampleRate, int examples) {}

  public static Data check(Path db, RaveConfig config, int batch, int nSignal) throws IOException {
    return check(db, config, batch, nSignal, SignalOptions.NONE);
  }

  /** Also checks that random pitch can shift the database's items by {@code signal}'s lowest factor. */
  public static Data check(Path db, RaveConfig config, int batch, int nSignal, SignalOptions signal) throws IOException {
    if (nSignal % config.ratio() != 0) {
      throw new Problem("--n-signal " + nSignal + " must be a multiple of the model's ratio " + config.ratio()
          + " (e.g. " + Math.max(config.ratio(), nSignal / config.ratio() * config.ratio()) + ")");
    }
    try (AudioDataset dataset = Datasets.open(db, 0, nSignal)) {
      if (dataset.sampleRate() != config.sampleRate()) {
        throw new Problem(db + " holds audio at " + dataset.sampleRate() + " Hz but " + config.name() + " models "
            + config.sampleRate() + " Hz: preprocess again with --sr " + config.sampleRate()
            + ", or train at the data's rate with --override sampling_rate=" + dataset.sampleRate());
      }
      if (dataset.channels() < config.channels()) {
        throw new Problem(db + " has " + dataset.channels() + " channel(s) but the model needs " + config.channels()
            + ": preprocess again with --channels " + config.channels() + ", or train with --channels " + dataset.channels());
      }
      if (signal.randomPitch()) {
        // Items longer than a crop by less than the lowest factor could never be shifted (spec §6.4.2).
        int frames = dataset.item(0)[0].length;
        if (frames < signal.pitchLow() * nSignal) {
          throw new Problem(String.format(java.util.Locale.ROOT, "--rand-pitch %s,%s: %s holds items of %d samples, "
                  + "too short to shift a crop of %d by %s (they must be at least LO x n-signal long): lower LO to at most "
                  + "%.3f or use a smaller --n-signal", fmt(signal.pitchLow()), fmt(signal.pitchHigh()), db, frames, nSignal,
              fmt(signal.pitchLow()), (double) frames / nSignal));
        }
      }
      int trainItems = DatasetSplit.of(dataset.size(), DatasetSplit.DEFAULT_SEED).train().length;
      if (trainItems < batch) {
        double seconds = (double) (batch + 1) * nSignal * 2 / dataset.sampleRate();
        throw new Problem(String.format("%s has %d example(s), %d for training, too few for one batch of %d: "
                + "add audio (about %.0f s at least, i.e. %d examples of 2 x %d samples) or use a smaller --batch",
            db, dataset.size(), trainItems, batch, seconds, batch + 1, nSignal));
      }
      return new Data(dataset.channels(), dataset.sampleRate(), dataset.size());
    } catch (org.jrave.data.DatasetException e) {
      throw new Problem(e.getMessage());
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
