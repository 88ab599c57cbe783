package org.jrave.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jrave version recorded in the jar manifest (or "development" when run from classes). */
public final class JraveVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = JraveVersion.class.getPackage().getImplementationVersion();
    return new String[] {"jrave " + (version == null ? "development" : version)};
  }
}
