package org.jrave.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints a command-line mistake (unknown option, missing or malformed value) as one line naming the
 * option and the fix, instead of picocli's message followed by the whole usage help, and exits with
 * picocli's usage-error code (2).
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    String message = NumericOptions.conversionMessage(ex).orElse(ex.getMessage());
    if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
      message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
    }
    String command = cmd.getCommandSpec().qualifiedName();
    cmd.getErr().println(command + ": " + message + " (see '" + command + " --help')");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
