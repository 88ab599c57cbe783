package org.jrave.studio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrave.audio.AudioClip;
import org.jrave.audio.WavFile;
import org.jrave.engine.Engine;
import org.jrave.model.RaveModel;
import org.jrave.model.io.ModelLoader;
import org.jrave.prior.PriorConfig;
import org.jrave.prior.PriorFile;
import org.jrave.prior.PriorNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Play panel's requests on the demo's trained model: description, reconstruction, prior samples. */
class StudioPlayTest {

  @TempDir static Path tmp;
  static StudioServer server;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    Engine.initialize(2);
    Path model = StudioFixtures.demoModel(tmp);
    Path runs = Files.createDirectories(tmp.resolve("runs"));
    try (RaveModel m = ModelLoader.load(model); PriorNetwork prior = new PriorNetwork(PriorConfig.v1(8))) {
      PriorFile.save(prior, PriorFile.ModelFacts.of(m), Files.createDirectories(runs.resolve("fits")).resolve("prior.safetensors"));
      PriorFile.save(prior, new PriorFile.ModelFacts(48000, 1, m.ratio(), m.config().latentSize()),
          Files.createDirectories(runs.resolve("other")).resolve("prior.safetensors"));
    }
    server = StudioServer.start(StudioOptions.local(runs, List.of(model)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void describesTheModelWithItsFidelityCurveAndTheFittingPriors() throws Exception {
    JsonNode model = get("/api/models/m1");
    assertThat(model.path("sampleRate").asInt()).isEqualTo(44100);
    assertThat(model.path("live").asBoolean()).isTrue();
    JsonNode fidelity = model.path("fidelity");
    assertThat(fidelity.size()).isEqualTo(16);
    for (int i = 1; i < fidelity.size(); i++) {
      assertThat(fidelity.get(i).asDouble()).isGreaterThanOrEqualTo(fidelity.get(i - 1).asDouble());
    }
    assertThat(fidelity.get(15).asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(model.path("priors").findValuesAsText("label")).containsExactly("fits");
  }

  @Test
  void reconstructsAnUploadAtTheModelsRate() throws Exception {
    String sound = StudioSecurityTest.uploadTabla(server);
    JsonNode render = post("/api/renders?model=m1&sound=" + sound);
    AudioClip out = WavFile.read(server.soundFolder().resolve(render.path("id").asText() + ".wav"));
    assertThat(out.sampleRate()).isEqualTo(44100);
    assertThat(out.durationSeconds()).isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(render.path("download").asText()).endsWith("?download=1");
    HttpResponse<String> download = StudioSecurityTest.get(server, render.path("download").asText());
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment").contains(".wav");
  }

  @Test
  void samplesFromAPriorTrainedForTheModel() throws Exception {
    JsonNode sample = post("/api/samples?model=m1&prior=p1&seconds=2&temperature=0.8");
    assertThat(sample.path("seconds").asDouble()).isEqualTo(2.0);
    assertThat(sample.path("label").asText()).contains("sampled from fits");
    HttpResponse<String> bad = StudioSecurityTest.send(server, HttpRequest.newBuilder(
        StudioSecurityTest.uri(server, "/api/samples?model=m1&prior=p1&temperature=hot")).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("temperature must be a number");
    HttpResponse<String> other = StudioSecurityTest.send(server, HttpRequest.newBuilder(
        StudioSecurityTest.uri(server, "/api/samples?model=m1&prior=p2")).POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(other.body()).contains("48000 Hz");
  }

  @Test
  void offersTheModelFilesInTheRunsFolderAndARunsLastCheckpoint() throws Exception {
    Path runs = Files.createDirectories(tmp.resolve("demo-output"));
    StudioFixtures.demoModel(runs);
    try (RaveModel m = ModelLoader.load(runs.resolve("demo-model/checkpoints/last.ckpt"))) {
      org.jrave.model.io.ModelFile.save(m, runs.resolve("model.safetensors"));
    }
    try (StudioServer demo = StudioServer.start(StudioOptions.local(runs, List.of()))) {
      HttpResponse<String> r = StudioSecurityTest.get(demo, "/api/models");
      assertThat(JSON.readTree(r.body()).findValuesAsText("label"))
          .containsExactly("model.safetensors", "run demo-model (last checkpoint)");
      HttpResponse<String> model = StudioSecurityTest.get(demo, "/api/models/m2");
      assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
    }
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = StudioSecurityTest.get(server, path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static JsonNode post(String path) throws Exception {
    HttpResponse<String> r = StudioSecurityTest.send(server, HttpRequest.newBuilder(StudioSecurityTest.uri(server, path))
        .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }
}
