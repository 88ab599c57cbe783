package org.jrave.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the jrave command line in-process and captures its exit code and error output. */
public record CliRunner(int exitCode, String err, String out) {

  public static CliRunner run(String... args) {
    CommandLine cli = JraveMain.commandLine();
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(out));
    int code = cli.execute(args);
    return new CliRunner(code, err.toString(), out.toString());
  }

  /**
   * As {@link #run}, also capturing what the command prints straight to the console (progress,
   * training logs): {@code out} is System.out then picocli's output, {@code err} picocli's errors then
   * System.err.
   */
  public static CliRunner runWithConsole(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream consoleOut = new ByteArrayOutputStream();
    ByteArrayOutputStream consoleErr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(consoleOut, true));
      System.setErr(new PrintStream(consoleErr, true));
      CliRunner r = run(args);
      return new CliRunner(r.exitCode(), r.err() + consoleErr, consoleOut + r.out());
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
