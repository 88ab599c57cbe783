package org.jrave.play;

import java.util.List;
import java.util.Locale;
import org.jrave.streaming.LatentControl;

/**
 * The latent controls a performer sends while audio runs, from the terminal or OSC, applied to a
 * {@link LatentControl}: {@code bias DIM VALUE}, {@code scale DIM VALUE}, {@code reset}. Each
 * call returns a short confirmation or throws {@link IllegalArgumentException} with the reason.
 */
public final class LatentCommands {
  private final LatentControl control;

  public LatentCommands(LatentControl control) {
    this.control = control;
  }

  public String apply(String verb, List<?> args) {
    switch (verb.toLowerCase(Locale.ROOT)) {
      case "bias", "scale" -> {
        if (args.size() != 2) {
          throw new IllegalArgumentException(verb + " takes a dimension and a value, e.g. '" + verb + " 0 1.5'");
        }
        int dim = toInt(args.get(0));
        float value = toFloat(args.get(1));
        if (verb.equalsIgnoreCase("bias")) {
          control.setBias(dim, value);
        } else {
          control.setScale(dim, value);
        }
        return String.format(Locale.ROOT, "dimension %d: bias %.3f, scale %.3f", dim, control.bias(dim), control.scale(dim));
      }
      case "reset" -> {
        control.clear();
        return "every dimension back to bias 0, scale 1";
      }
      default -> throw new IllegalArgumentException("unknown control '" + verb + "' (bias DIM VALUE, scale DIM VALUE, reset)");
    }
  }

  private static int toInt(Object o) {
    if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(o.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a latent dimension must be a whole number, got '" + o + "'");
    }
  }

  private static float toFloat(Object o) {
    if (o instanceof Number n) {
      return n.floatValue();
    }
    try {
      float v = Float.parseFloat(o.toString().trim());
      if (!Float.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a value must be a finite number, got '" + o + "'");
    }
  }
}
