package com.polydebate.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** An HTTP answer as a test sees it. */
public record TestResponse(int status, HttpHeaders headers, byte[] bytes) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public String body() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Not JSON (status " + status + "): " + body(), e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** The error code of a contract error body. */
    public String errorCode() {
        return json().path("error").path("code").asText();
    }
}
