package com.polydebate.resolutions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.StreamSupport;

/**
 * A fake Gamma whose events a test changes between polls (open → closed → proposed → …), servers pointed at it
 * with the tracker on demand only (tests poll through the admin refresh or {@code pollDue}), and the admin calls.
 */
public final class MutableGamma implements AutoCloseable {
    public final FakeUpstream upstream = new FakeUpstream();
    private final Map<String, String> events = new ConcurrentHashMap<>();

    /** Gamma answers {@code json} for {@code GET /events/{id}} from now on. */
    public void set(String id, String json) {
        events.put(id, json);
        upstream.on("GET", "/events/" + id, call -> Reply.json(200, events.get(id)));
    }

    public int calls(String id) {
        return upstream.count("GET", "/events/" + id);
    }

    /** A server on this Gamma that never polls by itself and never waits between requests. */
    public TestServer.Builder server() {
        return TestServer.builder()
                .env("POLYMARKET_GAMMA_URL", upstream.baseUrl())
                .env("RESOLUTION_POLL_MINUTES", "0")
                .env("RESOLUTION_REQUESTS_PER_MINUTE", "60000");
    }

    public static TestUser admin(TestServer server) {
        return server.createUser("admin-" + System.nanoTime() + "@example.com", "Admin", true);
    }

    /** Polls now and returns the refresh's {@code data}. */
    public static JsonNode refresh(TestServer server, TestUser admin) {
        TestResponse response = server.http().post("/api/admin/resolutions/refresh", "", admin.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("data");
    }

    /** The admin overview's entry for a market, from whichever list holds it, with that list's name. */
    public static Optional<Listed> listed(TestServer server, TestUser admin, String marketId) {
        TestResponse response = server.http().get("/api/admin/resolutions", admin.auth());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode data = response.json().path("data");
        for (String list : new String[] {"pending", "disputed", "recent"}) {
            Optional<JsonNode> item = StreamSupport.stream(data.path(list).spliterator(), false)
                    .filter(i -> i.path("market_id").asText().equals(marketId)).findFirst();
            if (item.isPresent()) {
                return Optional.of(new Listed(list, item.get()));
            }
        }
        return Optional.empty();
    }

    public record Listed(String list, JsonNode item) {
        public String state() {
            return item.path("state").asText();
        }
    }

    @Override
    public void close() {
        upstream.close();
    }
}
