package org.jrave.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions escaping a command into a one-line message: user errors (exit 2) and unexpected
 * failures (exit 1, with the stack trace only when JRAVE_DEBUG is set).
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    Throwable cause = ex;
    while (!(cause instanceof UserError) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof UserError) {
      cmd.getErr().println("jrave " + cmd.getCommandName() + ": " + cause.getMessage());
      return 2;
    }
    cmd.getErr().println("jrave " + cmd.getCommandName() + ": unexpected failure: " + ex);
    if (System.getenv("JRAVE_DEBUG") != null) {
      ex.printStackTrace(cmd.getErr());
    } else {
      cmd.getErr().println("(set JRAVE_DEBUG=1 to see the stack trace)");
    }
    return 1;
  }
}
