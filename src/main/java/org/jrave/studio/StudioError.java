package org.jrave.studio;

/** A request the studio refuses, with the HTTP status and the one-line message the page shows. */
final class StudioError extends RuntimeException {
  private final int status;

  StudioError(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }

  static StudioError notFound(String what) {
    return new StudioError(404, what + " is not (or no longer) known to this studio");
  }
}
