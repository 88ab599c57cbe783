package org.jrave.cli;

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
}
