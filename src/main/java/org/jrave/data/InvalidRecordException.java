package org.jrave.data;

/** A database value that is not a RAVE AudioExample this reader understands. */
public class InvalidRecordException extends Exception {
  public InvalidRecordException(String message) {
    super(message);
  }

  public InvalidRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
