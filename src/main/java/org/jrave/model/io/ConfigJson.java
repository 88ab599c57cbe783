package org.jrave.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jrave.model.config.RaveConfig;

/** The JSON form of a {@link RaveConfig}, as embedded in jrave model files. */
public final class ConfigJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ConfigJson() {}

  public static String write(RaveConfig config) {
    try {
      return JSON.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the configuration: " + e.getMessage(), e);
    }
  }

  public static RaveConfig read(String json) {
    try {
      return JSON.readValue(json, RaveConfig.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the embedded configuration is not valid: " + e.getOriginalMessage(), e);
    }
  }
}
