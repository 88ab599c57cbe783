package org.jrave.train;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;

/**
 * The console progress line: step, phase, the main losses, speed and ETA, rewritten in place at
 * most twice a second; messages (validation, phase change) are printed on their own lines above it.
 */
public final class ConsoleProgress {

  private final PrintStream out;
  private final long totalSteps;
  private final long firstStep;
  private final long startNanos = System.nanoTime();
  private long deadline = Long.MAX_VALUE;
  private long lastDraw;
  private boolean lineOpen;
  private double waitSum;
  private int waitSteps;

  public ConsoleProgress(PrintStream out, long firstStep, long totalSteps) {
    this.out = out;
    this.firstStep = firstStep;
    this.totalSteps = totalSteps;
  }

  /** A time limit ({@link System#nanoTime()} value) that caps the ETA. */
  public void setDeadline(long nanoTime) {
    this.deadline = nanoTime;
  }

  public void update(StepReport r) {
    update(r, Double.NaN);
  }

  /**
   * As {@link #update(StepReport)}, with the time the step waited for its batch; the line shows
   * the mean wait of the steps since it was last drawn.
   */
  public void update(StepReport r, double dataWaitMs) {
    if (!Double.isNaN(dataWaitMs)) {
      waitSum += dataWaitMs;
      waitSteps++;
    }
    long now = System.nanoTime();
    long done = r.step() + 1 - firstStep;
    if (now - lastDraw < 500_000_000L && r.step() + 1 < totalSteps) {
      return;
    }
    lastDraw = now;
    double perStep = (now - startNanos) / 1e9 / Math.max(1, done);
    long eta = Math.round(perStep * (totalSteps - r.step() - 1));
    if (deadline != Long.MAX_VALUE) {
      eta = Math.max(0, Math.min(eta, (deadline - now) / 1_000_000_000L));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("step %d/%d  phase %d", r.step() + 1, totalSteps, r.warmedUp() ? 2 : 1));
    appendIf(sb, r.values(), LossWeights.MULTIBAND, "mb");
    appendIf(sb, r.values(), LossWeights.FULLBAND, "fb");
    appendIf(sb, r.values(), LossWeights.REGULARIZATION, "reg");
    appendIf(sb, r.values(), LossWeights.FEATURE_MATCHING, "fm");
    appendIf(sb, r.values(), LossWeights.ADVERSARIAL, "adv");
    appendIf(sb, r.values(), "loss_dis", "dis");
    sb.append(String.format("  %.2f s/step", perStep));
    if (waitSteps > 0) {
      sb.append(String.format("  data wait %.1f ms", waitSum / waitSteps));
      waitSum = 0;
      waitSteps = 0;
    }
    sb.append(String.format("  ETA %s", format(Duration.ofSeconds(eta))));
    out.print("\r" + sb + "   ");
    out.flush();
    lineOpen = true;
  }

  private static void appendIf(StringBuilder sb, Map<String, Double> v, String key, String label) {
    Double x = v.get(key);
    if (x != null) {
      sb.append(String.format("  %s %.3f", label, x));
    }
  }

  static String format(Duration d) {
    long h = d.toHours();
    return h > 0 ? String.format("%dh%02dm", h, d.toMinutesPart()) : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }

  /** Prints a message on its own line, keeping the progress line intact below. */
  public void message(String text) {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.println(text);
    out.flush();
  }

  public void finish() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
  }
}
