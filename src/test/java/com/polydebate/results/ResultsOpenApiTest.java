package com.polydebate.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ResultsOpenApiTest {

    @Test
    void every_results_route_is_documented_with_its_method_and_every_reference_resolves() {
        try (TestServer server = TestServer.start()) {
            JsonNode doc = server.http().get("/api/openapi.json").json();

            for (String path : List.of("/api/debate/{debate_id}", "/api/debate/{debate_id}/results",
                    "/api/debate/{debate_id}/transcript", "/api/debates", "/api/markets/{market_id}/debates",
                    "/api/debate/audio/status")) {
                assertThat(doc.path("paths").path(path).has("get")).as(path).isTrue();
            }
            List<String> refs = new ArrayList<>();
            Matcher m = Pattern.compile("\"\\$ref\"\\s*:\\s*\"#/([^\"]+)\"").matcher(doc.toString());
            while (m.find()) {
                refs.add(m.group(1));
            }
            assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(doc.at("/" + ref).isMissingNode())
                    .as(ref).isFalse());
        }
    }
}
