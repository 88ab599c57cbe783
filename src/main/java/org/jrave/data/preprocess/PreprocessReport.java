package org.jrave.data.preprocess;

import java.util.List;
import java.util.Map;

/**
 * What a preprocess run did. Seconds are at the target rate. {@code paddingSeconds} is the silence
 * added to complete the last shared record; {@code alreadyInDatabase} counts input files left out
 * because an earlier run added them; {@code packedFiles} counts files whose tail (or whole
 * audio, when shorter than one record) went into shared records.
 */
public record PreprocessReport(
    int filesRead,
    List<SkippedFile> skipped,
    int alreadyInDatabase,
    Map<String, Integer> ignoredByExtension,
    double secondsRead,
    long examplesWritten,
    long totalExamples,
    int packedFiles,
    double paddingSeconds,
    double wallSeconds,
    boolean interrupted,
    int validationExamples,
    int minimumExamplesForPca) {

  public PreprocessReport {
    skipped = List.copyOf(skipped);
    ignoredByExtension = Map.copyOf(ignoredByExtension);
  }

  /** Seconds of audio per second of wall time. */
  public double realTimeFactor() {
    return wallSeconds > 0 ? secondsRead / wallSeconds : 0;
  }

  public boolean enoughForPca() {
    return totalExamples >= minimumExamplesForPca;
  }
}
