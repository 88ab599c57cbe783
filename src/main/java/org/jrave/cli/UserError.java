package org.jrave.cli;

/**
 * A problem caused by the user's input (a missing file, a wrong flag value, an incompatible model)
 * rather than by a bug. The message names the thing that is wrong and how to fix it; the command
 * line prints it without a stack trace and exits with status 2.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
