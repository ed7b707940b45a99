package com.polydebate.journeys;

import com.polydebate.support.SseEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * An SSE client that acts on each event as it arrives (a browser reacting to {@code debate_complete}, a test
 * killing the server after a few messages). Every read is bounded: past the deadline the connection is closed
 * and the read fails instead of hanging the build.
 */
final class LiveStream {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * What one connection received. {@code endedByServer} is false when the listener asked to stop reading
     * (the client hung up first).
     */
    record Result(int status, HttpHeaders headers, List<SseEvent> events, boolean endedByServer) {
        SseEvent last() {
            return events.get(events.size() - 1);
        }

        List<SseEvent> named(String name) {
            return events.stream().filter(e -> e.event().equals(name)).toList();
        }
    }

    private LiveStream() {
    }

    /** Reads until the server ends the stream. */
    static Result read(String baseUrl, String debateId, String lastEventId, Duration limit, String... headers) {
        return read(baseUrl, debateId, lastEventId, limit, e -> true, headers);
    }

    /**
     * Reads events in order, calling {@code listener} for each; a {@code false} answer stops reading and closes
     * the connection.
     */
    static Result read(String baseUrl, String debateId, String lastEventId, Duration limit,
                       Predicate<SseEvent> listener, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(baseUrl + "/api/debate/" + debateId + "/stream"))
                .header("Accept", "text/event-stream").timeout(limit);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sse-watchdog");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean expired = new AtomicBoolean();
        try {
            HttpResponse<InputStream> response = CLIENT.send(request.GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            InputStream body = response.body();
            watchdog.schedule(() -> {
                expired.set(true);
                try {
                    body.close();
                } catch (IOException ignored) {
                    // closing is the point; a failure here changes nothing
                }
            }, limit.toMillis(), TimeUnit.MILLISECONDS);
            List<SseEvent> events = new ArrayList<>();
            boolean endedByServer = true;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                SseEvent.Parser parser = new SseEvent.Parser();
                String line;
                while ((line = reader.readLine()) != null) {
                    Optional<SseEvent> received = parser.line(line);
                    if (received.isPresent()) {
                        events.add(received.get());
                        if (!listener.test(received.get())) {
                            endedByServer = false;
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                if (expired.get()) {
                    throw new AssertionError("the stream did not end within " + limit + "; received " + events);
                }
                throw e;
            }
            if (expired.get()) {
                throw new AssertionError("the stream did not end within " + limit + "; received " + events);
            }
            return new Result(response.statusCode(), response.headers(), events, endedByServer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            watchdog.shutdownNow();
        }
    }
}
