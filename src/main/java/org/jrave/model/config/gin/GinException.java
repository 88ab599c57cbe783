package org.jrave.model.config.gin;

/**
 * A problem with a gin configuration: a syntax error (the message names the source and line), a
 * missing binding, a value of the wrong type, an undefined or cyclic macro.
 */
public class GinException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public GinException(String message) {
    super(message);
  }

  public GinException(String message, Throwable cause) {
    super(message, cause);
  }
}
