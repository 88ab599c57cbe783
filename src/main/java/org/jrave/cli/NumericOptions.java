package org.jrave.cli;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The range rule every numeric option follows, checked once for all commands before one runs: a
 * count, size, rate or duration must be positive unless the option is marked {@link ZeroAllowed}
 * or {@link AnySign}. A wrong value becomes a {@link ParameterException} (exit code 2) whose
 * message names the option and the values it takes.
 */
final class NumericOptions {
  private static final Set<Class<?>> WHOLE = Set.of(int.class, Integer.class, long.class, Long.class);
  private static final Set<Class<?>> REAL = Set.of(float.class, Float.class, double.class, Double.class);

  private NumericOptions() {}

  static boolean isNumeric(OptionSpec option) {
    return WHOLE.contains(option.type()) || REAL.contains(option.type());
  }

  /** Checks the options given on the command line of the command that will run and of its parents. */
  static void check(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      for (OptionSpec option : level.matchedOptions()) {
        if (isNumeric(option)) {
          checkRange(level.commandSpec().commandLine(), option);
        }
      }
    }
  }

  private static void checkRange(CommandLine cmd, OptionSpec option) {
    Object value = option.getValue();
    if (!(value instanceof Number n) || marked(option, AnySign.class)) {
      return;
    }
    double v = n.doubleValue();
    boolean zeroAllowed = marked(option, ZeroAllowed.class);
    if (Double.isNaN(v) || v < 0 || (v == 0 && !zeroAllowed)) {
      throw new ParameterException(cmd, option.longestName() + " " + original(option, value) + ": " + accepted(option),
          option, String.valueOf(value));
    }
  }

  /** What to give instead, e.g. "give a whole number of 1 or more". */
  static String accepted(OptionSpec option) {
    boolean whole = WHOLE.contains(option.type());
    if (marked(option, AnySign.class)) {
      return whole ? "give a whole number" : "give a number";
    }
    if (marked(option, ZeroAllowed.class)) {
      return whole ? "give a whole number of 0 or more" : "give a number of 0 or more";
    }
    return whole ? "give a whole number of 1 or more" : "give a number above 0";
  }

  /**
   * The one-line message for a value picocli could not convert to the option's number type, or
   * empty when {@code e} is about something else.
   */
  static Optional<String> conversionMessage(ParameterException e) {
    ArgSpec arg = e.getArgSpec();
    if (!(arg instanceof OptionSpec option) || !isNumeric(option) || e.getValue() == null
        || !String.valueOf(e.getMessage()).startsWith("Invalid value")) {
      return Optional.empty();
    }
    String kind = WHOLE.contains(option.type()) ? "a whole number" : "a number";
    return Optional.of(option.longestName() + " " + e.getValue() + " is not " + kind + ": " + accepted(option));
  }

  private static String original(OptionSpec option, Object value) {
    var originals = option.originalStringValues();
    return originals.isEmpty() ? String.valueOf(value) : originals.get(originals.size() - 1);
  }

  private static boolean marked(OptionSpec option, Class<? extends java.lang.annotation.Annotation> mark) {
    return option.userObject() instanceof AnnotatedElement element && element.isAnnotationPresent(mark);
  }
}
