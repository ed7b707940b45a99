package com.polydebate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

class RequestThreadsTest {
    private static final String EVENTS_PAGE = "{\"data\":" + Fixtures.text("polymarket-gamma/events-list.json")
            + ",\"pagination\":{\"hasMore\":true,\"totalResults\":2}}";

    @Test
    void requests_beyond_http_max_threads_wait_for_a_thread_and_are_all_answered() throws Exception {
        try (FakeUpstream gamma = new FakeUpstream()) {
            // Every page is a cache miss that holds its request thread for the slow upstream call.
            gamma.on("GET", "/events/pagination", call -> Reply.json(200, EVENTS_PAGE).delayed(Duration.ofMillis(200)));
            try (TestServer server = TestServer.builder().env("HTTP_MAX_THREADS", "12")
                    .env("POLYMARKET_GAMMA_URL", gamma.baseUrl()).start()) {
                QueuedThreadPool pool = (QueuedThreadPool) server.app().javalin().jettyServer().server().getThreadPool();
                AtomicInteger mostThreads = new AtomicInteger();
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                sampler.scheduleAtFixedRate(() -> mostThreads.accumulateAndGet(pool.getThreads(), Math::max),
                        0, 5, TimeUnit.MILLISECONDS);
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, 40)
                        .mapToObj(page -> client.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl()
                                        + "/api/markets?limit=20&offset=" + page * 20)).timeout(Duration.ofSeconds(30))
                                .build(), HttpResponse.BodyHandlers.ofString()))
                        .toList();

                List<Integer> statuses = answers.stream().map(answer -> answer.join().statusCode()).toList();
                sampler.shutdownNow();

                assertThat(statuses).hasSize(40).containsOnly(200);
                assertThat(gamma.count("GET", "/events/pagination")).isEqualTo(40);
                assertThat(pool.getMaxThreads()).isEqualTo(12);
                assertThat(mostThreads.get()).isBetween(1, 12);
            }
        }
    }
}
