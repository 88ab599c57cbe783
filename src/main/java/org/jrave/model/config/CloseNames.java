package org.jrave.model.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The known names a mistyped one was probably meant to be, for "did you mean" hints. */
final class CloseNames {
  private CloseNames() {}

  private static final int MAX = 5;

  /** Up to five of {@code known}, closest first: small edit distances and names containing one another. */
  static List<String> to(String wanted, Collection<String> known) {
    String w = wanted.toLowerCase(Locale.ROOT);
    return known.stream().distinct()
        .filter(k -> distance(w, k.toLowerCase(Locale.ROOT)) <= Math.max(2, w.length() / 4)
            || contains(w, k.toLowerCase(Locale.ROOT)))
        .sorted(Comparator.comparingInt(k -> distance(w, k.toLowerCase(Locale.ROOT))))
        .limit(MAX).toList();
  }

  private static boolean contains(String a, String b) {
    return a.length() >= 3 && b.length() >= 3 && (a.contains(b) || b.contains(a));
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }
}
