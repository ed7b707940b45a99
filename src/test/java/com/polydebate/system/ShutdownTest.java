package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Stopping the app stops the thread pools it started, so a JVM that runs several apps in turn collects none. */
class ShutdownTest {
    private final FakeUpstream gamma = new FakeUpstream();
    private final FakeUpstream web = new FakeUpstream();

    @AfterEach
    void stop() {
        gamma.close();
        web.close();
    }

    @Test
    void closing_the_app_stops_the_market_lookup_pools_its_requests_started() throws Exception {
        gamma.on("GET", "/events/481717",
                call -> Reply.json(200, Fixtures.text("polymarket-gamma/event-categorical.json")));
        web.on("GET", "/api/biggest-movers", call -> Reply.json(200, "{\"markets\":[{\"id\":\"501\",\"question\":\"Q\"}]}"));
        Set<Thread> earlier = Thread.getAllStackTraces().keySet();
        TestServer server = TestServer.builder()
                .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                .env("POLYMARKET_WEB_URL", web.baseUrl())
                .start();
        TestUser user = server.newUser();
        assertThat(server.http().post("/api/favorites", "{\"market_id\": \"481717\"}", user.auth()).status())
                .isEqualTo(201);
        assertThat(server.http().get("/api/auth/debates/top?type=favorites", user.auth()).status()).isEqualTo(200);
        assertThat(server.http().get("/api/markets/breaking").status()).isEqualTo(200);
        List<Thread> lookups = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !earlier.contains(thread))
                .filter(thread -> thread.getName().startsWith("saved-market-lookup-")
                        || thread.getName().startsWith("breaking-lookup"))
                .toList();
        assertThat(lookups).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith("saved-market-lookup-"))
                .anyMatch(name -> name.startsWith("breaking-lookup"));

        server.close();

        for (Thread thread : lookups) {
            thread.join(10_000);
        }
        assertThat(lookups).noneMatch(Thread::isAlive);
    }
}
