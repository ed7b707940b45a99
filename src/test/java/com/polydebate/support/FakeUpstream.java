package com.polydebate.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * An in-process HTTP server that plays an upstream API at the wire (Gamma, CLOB, OpenRouter, ElevenLabs,
 * Gemini). Routes are "METHOD /path" (exact path, no query); each call is recorded. Handlers return a
 * {@link Reply} that may carry latency or a dropped connection, so tests inject faults without mocks.
 */
public final class FakeUpstream implements AutoCloseable {
    /** A recorded request. */
    public record Call(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                       String body) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst().map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    /**
     * What the fake answers. {@code dropConnection} closes the connection without an answer. A streamed reply
     * ({@code chunks} not empty) sends its headers at once, then each chunk flushed on its own, {@code chunkGap}
     * apart; a chunk {@link #STALL} stops there and holds the connection open until the client leaves, and
     * {@code cutAfterChunks} closes the connection without ending the body properly.
     */
    public record Reply(int status, Map<String, String> headers, byte[] body, Duration delay, boolean dropConnection,
                        List<Chunk> chunks, Duration chunkGap) {
        /** Marks where a streamed reply goes silent. */
        public static final Chunk STALL = new Chunk(new byte[0], true);

        /** A piece of a streamed body; {@code onSent} learns the moment it left (for latency measurements). */
        public record Chunk(byte[] bytes, boolean stall, java.util.function.LongConsumer onSent) {
            public Chunk(byte[] bytes, boolean stall) {
                this(bytes, stall, sentAt -> { });
            }

            public static Chunk text(String text) {
                return new Chunk(text.getBytes(StandardCharsets.UTF_8), false);
            }
        }

        public static Reply json(int status, String json) {
            return new Reply(status, Map.of("Content-Type", "application/json"),
                    json.getBytes(StandardCharsets.UTF_8), Duration.ZERO, false, List.of(), Duration.ZERO);
        }

        public static Reply bytes(int status, String contentType, byte[] body) {
            return new Reply(status, Map.of("Content-Type", contentType), body, Duration.ZERO, false, List.of(),
                    Duration.ZERO);
        }

        /** A {@code text/event-stream} answer sent as {@code chunks}, {@code gap} apart. */
        public static Reply stream(List<Chunk> chunks, Duration gap) {
            return new Reply(200, Map.of("Content-Type", "text/event-stream"), new byte[0], Duration.ZERO, false,
                    List.copyOf(chunks), gap);
        }

        public static Reply hangUp() {
            return new Reply(0, Map.of(), new byte[0], Duration.ZERO, true, List.of(), Duration.ZERO);
        }

        public Reply delayed(Duration delay) {
            return new Reply(status, headers, body, delay, dropConnection, chunks, chunkGap);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, body, delay, dropConnection, chunks, chunkGap);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-upstream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Function<Call, Reply>> routes = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public FakeUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeUpstream on(String method, String path, Function<Call, Reply> handler) {
        routes.put(method + " " + path, handler);
        return this;
    }

    public List<Call> calls() {
        return Collections.unmodifiableList(new ArrayList<>(calls));
    }

    public List<Call> calls(String method, String path) {
        return calls.stream().filter(c -> c.method().equals(method) && c.path().equals(path)).toList();
    }

    public int count(String method, String path) {
        return calls(method, path).size();
    }

    public void reset() {
        calls.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Call call = new Call(exchange.getRequestMethod(), uri.getPath(), parseQuery(uri.getRawQuery()),
                    Map.copyOf(exchange.getRequestHeaders()), body);
            calls.add(call);
            Function<Call, Reply> handler = routes.get(call.method() + " " + call.path());
            Reply reply = handler == null
                    ? Reply.json(404, "{\"error\":\"no fake route for " + call.method() + " " + call.path() + "\"}")
                    : handler.apply(call);
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            if (reply.dropConnection()) {
                return;
            }
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (!reply.chunks().isEmpty()) {
                stream(exchange, reply);
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                exchange.getResponseBody().write(reply.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (for example after its own timeout); nothing to answer
        }
    }

    private static void stream(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
        exchange.sendResponseHeaders(reply.status(), 0);
        var out = exchange.getResponseBody();
        out.flush();
        // Paced against the start, so that sleeping late (a loaded machine) does not stretch the whole answer.
        long start = System.nanoTime();
        int index = 0;
        for (Reply.Chunk chunk : reply.chunks()) {
            long due = start + reply.chunkGap().toNanos() * index++;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            if (chunk.stall()) {
                // Silent but open: the client's idle timeout has to end it (closing the exchange ends the wait).
                Thread.sleep(60_000);
                return;
            }
            out.write(chunk.bytes());
            out.flush();
            chunk.onSent().accept(System.nanoTime());
        }
        out.close();
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
