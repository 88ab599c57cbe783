package org.jrave.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed golden copy ({@code src/test/resources/golden}) is intact (every file and its
 * SHA-256 as {@code golden.sha256} lists them, nothing more: a checkout that turned a file into a
 * text-converted or LFS-pointer version fails here) and, on machines that have the shared folder
 * next to the checkout, identical to it.
 */
class GoldenCopyTest {
  static final String REFRESH = "run bin/refresh-golden to copy ../shared/golden into the repository";

  @Test
  void theCommittedCopyMatchesItsManifestAndTheSharedFolder() throws IOException {
    Path resources = Path.of(System.getProperty("jrave.testResources", "src/test/resources"));
    Map<String, String> manifest = readManifest(resources.resolve("golden.sha256"));
    Map<String, String> copy = digests(resources.resolve("golden"));

    assertThat(manifest).as("golden.sha256 lists the golden files").containsKey("weights.safetensors");
    assertThat(copy).as("src/test/resources/golden against golden.sha256; " + REFRESH)
        .containsExactlyInAnyOrderEntriesOf(manifest);

    Path shared = Path.of(System.getProperty("jrave.shared", "../shared"), "golden");
    if (Files.isDirectory(shared)) {
      assertThat(copy).as("src/test/resources/golden against " + shared.toAbsolutePath().normalize() + "; " + REFRESH)
          .containsExactlyInAnyOrderEntriesOf(digests(shared));
    }
  }

  /** Lines {@code <sha256>  <relative path>}, as sha256sum writes them. */
  static Map<String, String> readManifest(Path manifest) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    for (String line : Files.readAllLines(manifest)) {
      if (!line.isBlank()) {
        entries.put(line.substring(66), line.substring(0, 64));
      }
    }
    return entries;
  }

  /** SHA-256 of every file under the folder, by path relative to it ('/' separated). */
  static Map<String, String> digests(Path folder) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        entries.put(folder.relativize(f).toString().replace('\\', '/'), sha256(f));
      }
    }
    return entries;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
