package org.jrave.data;

/**
 * A dataset problem the user can fix (wrong output path, incompatible database, no usable audio).
 * The message names the thing and the fix; the command line turns it into a user error.
 */
public class DatasetException extends RuntimeException {
  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
