package org.jrave.engine;

import java.util.List;

/**
 * What happened when a state dict was loaded: tensors the model expected but did not get, tensors
 * given that the model has no place for, and tensors whose shape does not match (with both shapes).
 */
public record LoadReport(List<String> missing, List<String> unexpected, List<String> mismatched) {

  public LoadReport {
    missing = List.copyOf(missing);
    unexpected = List.copyOf(unexpected);
    mismatched = List.copyOf(mismatched);
  }

  public boolean complete() {
    return missing.isEmpty() && mismatched.isEmpty();
  }

  /** Throws with every problem named when the load was incomplete. */
  public void requireComplete(String what) {
    if (!complete()) {
      throw new WeightsMismatchException(what + ": " + describe());
    }
  }

  public String describe() {
    StringBuilder sb = new StringBuilder();
    if (!missing.isEmpty()) {
      sb.append(missing.size()).append(" missing tensor(s): ").append(abbreviate(missing)).append("; ");
    }
    if (!mismatched.isEmpty()) {
      sb.append(mismatched.size()).append(" tensor(s) of the wrong shape: ").append(abbreviate(mismatched)).append("; ");
    }
    if (!unexpected.isEmpty()) {
      sb.append(unexpected.size()).append(" unexpected tensor(s): ").append(abbreviate(unexpected)).append("; ");
    }
    return sb.isEmpty() ? "all tensors loaded" : sb.substring(0, sb.length() - 2);
  }

  private static String abbreviate(List<String> items) {
    int shown = Math.min(items.size(), 8);
    String head = String.join(", ", items.subList(0, shown));
    return items.size() > shown ? head + ", ... (" + (items.size() - shown) + " more)" : head;
  }

  /** Raised when weights do not fit a model. */
  public static final class WeightsMismatchException extends RuntimeException {
    public WeightsMismatchException(String message) {
      super(message);
    }
  }
}
