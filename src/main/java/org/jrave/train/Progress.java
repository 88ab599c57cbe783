package org.jrave.train;

/**
 * Where a run is: the next global step, the epoch and the index of the next batch in it, the best
 * validation distance so far (infinite before the first), and the measured receptive field.
 */
public record Progress(long step, int epoch, int batchInEpoch, double bestValidation, ReceptiveField receptiveField) {

  public static Progress start(ReceptiveField rf) {
    return new Progress(0, 0, 0, Double.POSITIVE_INFINITY, rf);
  }

  /** After one more batch of the current epoch. */
  public Progress advance() {
    return new Progress(step + 1, epoch, batchInEpoch + 1, bestValidation, receptiveField);
  }

  public Progress nextEpoch() {
    return new Progress(step, epoch + 1, 0, bestValidation, receptiveField);
  }

  public Progress withBest(double best) {
    return new Progress(step, epoch, batchInEpoch, best, receptiveField);
  }
}
