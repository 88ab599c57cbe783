package org.jrave.data.preprocess;

import java.nio.file.Path;

/** A file that was not used, and why. */
public record SkippedFile(Path path, String reason) {}
