package org.jrave.play;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Latent control typed in the terminal while audio runs, one command per line: {@code bias 0 1.5},
 * {@code scale 2 0}, {@code reset}, {@code stats}, {@code quit}. Runs on its own daemon thread.
 */
public final class TerminalControl {
  private final BufferedReader in;
  private final LatentCommands commands;
  private final Supplier<String> stats;
  private final Consumer<String> out;
  private final Runnable quit;

  public TerminalControl(BufferedReader in, LatentCommands commands, Supplier<String> stats, Consumer<String> out,
      Runnable quit) {
    this.in = in;
    this.commands = commands;
    this.stats = stats;
    this.out = out;
    this.quit = quit;
  }

  public Thread start() {
    Thread t = new Thread(this::run, "jrave-terminal");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Reads commands until {@code quit} or the end of the input. */
  public void run() {
    try {
      String line;
      while ((line = in.readLine()) != null) {
        String[] words = line.trim().split("\\s+");
        if (words[0].isEmpty()) {
          continue;
        }
        switch (words[0].toLowerCase(java.util.Locale.ROOT)) {
          case "quit", "exit", "q" -> {
            quit.run();
            return;
          }
          case "stats" -> out.accept(stats.get());
          case "help", "?" -> out.accept("bias DIM VALUE | scale DIM VALUE | reset | stats | quit");
          default -> {
            try {
              List<String> args = Arrays.asList(words).subList(1, words.length);
              out.accept(commands.apply(words[0], args));
            } catch (IllegalArgumentException e) {
              out.accept(e.getMessage());
            }
          }
        }
      }
    } catch (IOException e) {
      out.accept("terminal control stopped: " + e.getMessage());
    }
  }
}
