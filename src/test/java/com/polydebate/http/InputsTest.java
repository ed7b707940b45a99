package com.polydebate.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class InputsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ObjectNode body(String json) throws IOException {
        return (ObjectNode) MAPPER.readTree(json);
    }

    private static int limit(String json) throws IOException {
        return Inputs.clampedInt(body(json), "limit", 50, 1, 100);
    }

    @Test
    void an_integer_is_read_from_a_number_or_a_string_and_clamped() throws IOException {
        assertThat(limit("{\"limit\": 7}")).isEqualTo(7);
        assertThat(limit("{\"limit\": \" 7 \"}")).isEqualTo(7);
        assertThat(limit("{\"limit\": 0}")).isEqualTo(1);
        assertThat(limit("{\"limit\": \"1000\"}")).isEqualTo(100);
    }

    @Test
    void a_value_that_holds_no_integer_takes_the_fallback() throws IOException {
        for (String json : new String[] {"{}", "{\"limit\": null}", "{\"limit\": 5.5}", "{\"limit\": \"5.5\"}",
                "{\"limit\": \"x\"}", "{\"limit\": true}", "{\"limit\": [7]}", "{\"limit\": {\"n\": 7}}"}) {
            assertThat(limit(json)).as(json).isEqualTo(50);
        }
    }

    @Test
    void an_integer_beyond_the_long_range_clamps_to_its_side_like_a_query_parameter() throws IOException {
        assertThat(limit("{\"limit\": 99999999999999999999}")).isEqualTo(100);
        assertThat(limit("{\"limit\": \"99999999999999999999\"}")).isEqualTo(100);
        assertThat(limit("{\"limit\": -99999999999999999999}")).isEqualTo(1);
        assertThat(limit("{\"limit\": \"-99999999999999999999\"}")).isEqualTo(1);
    }

    @Test
    void trimmed_text_is_empty_when_absent_null_or_blank() throws IOException {
        assertThat(Inputs.trimmed(body("{\"id\": \"  abc \"}"), "id", 5)).contains("abc");
        assertThat(Inputs.trimmed(body("{\"id\": \"   \"}"), "id", 5)).isEmpty();
        assertThat(Inputs.trimmed(body("{\"id\": null}"), "id", 5)).isEmpty();
        assertThat(Inputs.trimmed(body("{}"), "id", 5)).isEmpty();
    }

    @Test
    void trimmed_text_refuses_other_types_and_overlong_values_naming_the_field() {
        assertThatThrownBy(() -> Inputs.trimmed(body("{\"id\": 7}"), "id", 5))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("validation_error");
                    assertThat(e.details()).containsEntry("id", "must be a string");
                });
        assertThatThrownBy(() -> Inputs.trimmed(body("{\"id\": \" abcdef \"}"), "id", 5))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.details()).containsEntry("id", "must be at most 5 characters"));
    }
}
