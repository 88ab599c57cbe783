package org.jrave.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.train.RunFolder;
import org.jrave.train.RunSettings;
import org.jrave.train.log.EventWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Runs panel's data, from a run folder written the way training writes it. */
class StudioRunsTest {

  @TempDir Path tmp;
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void showsCurvesPhaseSwitchValidationsAndTheirAudioAsTheRunGrows() throws Exception {
    RunFolder run = new RunFolder(Files.createDirectories(tmp.resolve("runs/mine")));
    RunSettings settings = new RunSettings("db", List.of("v2"), List.of(), 2, 4, 100, 10, 0, 50, 1, 0, 1, 1, true);
    Files.writeString(run.settingsFile(), RunFolder.settingsJson(settings));
    float[] input = {0.5f, -0.5f, 0.25f, 0f};
    float[] output = {0.125f, 0f, -0.25f, 0.75f};
    float[] both = {0.5f, -0.5f, 0.25f, 0f, 0.125f, 0f, -0.25f, 0.75f};
    try (StudioServer server = StudioServer.start(StudioOptions.local(tmp.resolve("runs"), List.of()));
        EventWriter first = new EventWriter(run.logs())) {
      first.scalar("validation", 0, 3.0);
      first.scalar("validation", 10, 2.0);
      first.audio("audio_val", 10, both, 1, 44100);
      JsonNode detail = get(server, "/api/runs/r1");
      assertThat(detail.path("name").asText()).isEqualTo("mine");
      assertThat(detail.path("phase2From").asLong()).isEqualTo(50);
      assertThat(detail.path("maxSteps").asLong()).isEqualTo(100);
      assertThat(detail.path("settings").path("nSignal").asInt()).isEqualTo(4);
      assertThat(detail.path("scalars").path("validation").toString()).isEqualTo("[[0.0,3.0],[10.0,2.0]]");
      assertThat(detail.path("validations").findValuesAsText("input")).containsExactly("/api/runs/r1/validations/10/input.wav");
      assertThat(samples(server, "/api/runs/r1/validations/10/input.wav")).containsExactly(rounded(input));
      assertThat(samples(server, "/api/runs/r1/validations/10/reconstruction.wav")).containsExactly(rounded(output));

      // The run goes on: the same request sees the new validation.
      first.scalar("validation", 20, 1.5);
      first.audio("audio_val", 20, both, 1, 44100);
      assertThat(get(server, "/api/runs/r1").path("validationCount").asInt()).isEqualTo(2);
    }
    // Resumed from step 10: its own file's later values replace what the first start logged past it.
    try (StudioServer server = StudioServer.start(StudioOptions.local(tmp.resolve("runs"), List.of()))) {
      try (EventWriter resumed = new EventWriter(run.logs())) {
        resumed.scalar("validation", 10, 1.0);
      }
      assertThat(get(server, "/api/runs/r1").path("scalars").path("validation").toString())
          .isEqualTo("[[0.0,3.0],[10.0,1.0]]");
    }
  }

  private static float[] rounded(float[] x) {
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = Math.round(x[i] * 32767f) / 32768f;
    }
    return out;
  }

  private float[] samples(StudioServer server, String path) throws Exception {
    HttpResponse<byte[]> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(StudioSecurityTest.uri(server, path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    Path wav = Files.write(tmp.resolve("got.wav"), r.body());
    AudioClip clip = WavFile.read(wav);
    return clip.channel(0);
  }

  private static JsonNode get(StudioServer server, String path) throws Exception {
    HttpResponse<String> r = StudioSecurityTest.get(server, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
