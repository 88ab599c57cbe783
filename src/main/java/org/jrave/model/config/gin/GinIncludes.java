package org.jrave.model.config.gin;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an {@code include 'name'} statement pulls in. Gin reads the named file; a consumer may instead
 * stand in for some names (e.g. the reference's own configurations) with definitions of its own.
 */
@FunctionalInterface
public interface GinIncludes {

  /** Plain gin: the file named, relative to the including file's folder. */
  GinIncludes FILES = (name, dir) -> Optional.of(dir.resolve(name));

  /**
   * The file to parse in place of the include, or empty when the include is taken care of without
   * parsing a file.
   *
   * @param name the file name as written
   * @param dir the including file's folder
   * @throws GinException when the include cannot be honoured; the parser adds the location
   */
  Optional<Path> resolve(String name, Path dir);
}
