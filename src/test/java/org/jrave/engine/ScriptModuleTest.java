package org.jrave.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptModuleTest {

  @TempDir Path dir;

  private static ScriptModule scaler() {
    ScriptModule m = ScriptModule.create("__torch__.Scaler");
    m.addParameter("gain", Tensor.fromFloats(new float[] {2f}, 1));
    m.addBuffer("calls", Tensor.zeros(1));
    m.addAttribute("sr", 44100);
    m.addAttribute("name", "scaler");
    m.addAttribute("on", true);
    m.addAttribute("_methods", List.of("forward"));
    m.define("""
        def forward(self, x):
            self.calls += 1.0
            return x * self.gain
        def get_on(self) -> bool:
            return self.on
        def set_on(self, on: bool) -> int:
            self.on = on
            return 0
        """);
    return m;
  }

  @Test
  void builtModuleSavesLoadsAndRuns() throws IOException {
    Path file = dir.resolve("scaler.ts");
    try (TensorScope s = new TensorScope(); ScriptModule m = scaler()) {
      m.save(file);
    }
    try (TensorScope s = new TensorScope(); ScriptModule m = ScriptModule.load(file)) {
      assertThat(m.methodNames()).contains("forward", "get_on", "set_on");
      assertThat(m.hasMethod("forward")).isTrue();
      assertThat(m.hasMethod("encode")).isFalse();
      assertThat(m.attribute("sr")).isEqualTo(44100L);
      assertThat(m.attribute("name")).isEqualTo("scaler");
      assertThat(m.attribute("_methods")).isEqualTo(List.of("forward"));
      assertThat(m.schema("set_on")).contains("bool on").contains("-> int");
      assertThat(m.argumentCount("forward")).isEqualTo(1);
      Tensor y = (Tensor) m.invoke("forward", Tensor.fromFloats(new float[] {1f, -3f}, 1, 1, 2));
      assertThat(y.toFloatArray()).containsExactly(2f, -6f);
      m.invoke("forward", Tensor.zeros(1, 1, 2));
      assertThat(m.namedBuffers().get("calls").toFloatArray()).containsExactly(2f);
      assertThat(m.namedParameters()).containsKey("gain");
      assertThat(m.invoke("get_on")).isEqualTo(true);
      assertThat(m.invoke("set_on", false)).isEqualTo(0L);
      assertThat(m.invoke("get_on")).isEqualTo(false);
    }
  }

  @Test
  void errorsAreExceptionsWithLibtorchMessages() throws IOException {
    Path notZip = dir.resolve("bad.ts");
    Files.writeString(notZip, "hello");
    assertThatThrownBy(() -> ScriptModule.load(notZip)).isInstanceOf(IOException.class).hasMessageContaining("not a zip");
    Path zip = dir.resolve("zip.ts");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new java.util.zip.ZipEntry("x/data.txt"));
      out.write(1);
    }
    assertThatThrownBy(() -> ScriptModule.load(zip)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a loadable TorchScript archive");
    try (ScriptModule m = ScriptModule.create("__torch__.Broken")) {
      assertThatThrownBy(() -> m.define("def forward(self, x):\n    return undefined_name(x)\n"))
          .isInstanceOf(ScriptModule.ScriptException.class).hasMessageContaining("undefined_name");
    }
    try (TensorScope s = new TensorScope(); ScriptModule m = scaler()) {
      assertThatThrownBy(() -> m.invoke("forward", "text")).isInstanceOf(ScriptModule.ScriptException.class);
    }
  }
}
