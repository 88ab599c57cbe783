package org.jrave.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process from {@code /proc/self/status} (Linux; 0 elsewhere), in bytes. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Current resident set size. */
  public static long rss() {
    return read("VmRSS:");
  }

  /** Peak resident set size since the process started. */
  public static long peak() {
    return read("VmHWM:");
  }

  /** Resets the peak to the current size (Linux 4.0+), so a phase's own peak can be measured. */
  public static void resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException | RuntimeException e) {
      // Not Linux or not permitted: the peak then covers the whole process.
    }
  }

  private static long read(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
