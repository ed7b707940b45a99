package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Hardening below Javalin: requests Jetty answers itself (a path that is not UTF-8, headers over the limit) and
 * clients that send too slowly, all over plain sockets. The rest is in {@link HardeningTest}.
 */
class RawConnectionHardeningTest {
    /** Allowed by the development default of FRONTEND_URL. */
    private static final String ORIGIN = "http://localhost:3000";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    /** Twice Jetty's default request header limit (8 KiB). */
    private static final String HUGE_HEADER_VALUE = "x".repeat(16 * 1024);

    // ---- 3. Jetty-level errors -------------------------------------------------------------------------------

    @Test
    void a_path_that_is_not_utf8_gets_the_json_error_and_the_cors_header_for_every_method() {
        try (TestServer server = TestServer.start()) {
            List<String> problems = new ArrayList<>();
            for (String path : List.of("/api/%C0%AF", "/api/markets/%FF", "/api/debate/%E2%28%A1/stream")) {
                for (String method : METHODS) {
                    RawSocket.Answer answer = RawSocket.send(server.app().port(),
                            RawSocket.request(method, path, "Origin", ORIGIN));
                    checkJettyError(method + " " + path, answer, 400, "bad_request", List.of(ORIGIN), problems);
                }
            }
            assertThat(problems).isEmpty();
            assertThat(server.http().get("/api/health").status()).as("the server still answers").isEqualTo(200);
        }
    }

    @Test
    void a_jetty_level_error_names_no_origin_that_is_not_allowed() {
        try (TestServer server = TestServer.start()) {
            RawSocket.Answer answer = RawSocket.send(server.app().port(),
                    RawSocket.request("POST", "/api/%C0%AF", "Origin", "https://evil.example"));

            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.json().path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void request_headers_over_the_limit_get_431_with_the_json_error_and_the_cors_header_for_every_method() {
        try (TestServer server = TestServer.start()) {
            List<String> problems = new ArrayList<>();
            for (String method : METHODS) {
                RawSocket.Answer answer = RawSocket.send(server.app().port(),
                        RawSocket.request(method, "/api/markets", "Origin", ORIGIN, "X-Padding", HUGE_HEADER_VALUE));
                // Jetty keeps none of the headers it could not finish reading, so the Origin is unknown here: the
                // generic error is opened to every origin, which lets the frontend read it too.
                checkJettyError(method + " with a 16 KiB header", answer, 431, "headers_too_large",
                        List.of(ORIGIN, "*"), problems);
            }
            assertThat(problems).isEmpty();
            assertThat(server.http().get("/api/health").status()).as("the server still answers").isEqualTo(200);
        }
    }

    /** The status, the §2 error body, JSON content type, a CORS header the frontend's origin may read, no-store. */
    private static void checkJettyError(String request, RawSocket.Answer answer, int status, String code,
                                        List<String> allowOrigin, List<String> problems) {
        JsonNode error;
        try {
            error = answer.json().path("error");
        } catch (RuntimeException e) {
            problems.add(request + " -> " + answer.status() + " not JSON: " + answer.body());
            return;
        }
        boolean asExpected = answer.status() == status
                && code.equals(error.path("code").asText())
                && !error.path("message").asText().isBlank()
                && error.path("timestamp").asText().endsWith("Z")
                && String.valueOf(answer.header("Content-Type")).startsWith("application/json")
                && allowOrigin.contains(String.valueOf(answer.header("Access-Control-Allow-Origin")))
                && answer.header("Access-Control-Allow-Credentials") == null
                && "no-store".equals(answer.header("Cache-Control"));
        if (!asExpected) {
            problems.add(request + " -> " + answer.status() + " " + answer.headers() + " " + answer.body());
        }
    }

    // ---- 5. Slow clients -------------------------------------------------------------------------------------

    /**
     * The app sends a keep-alive comment every 15 s (not configurable), so the stream is watched until its first
     * keep-alive arrives, well past the 2 s idle timeout: up to about 15 s, bounded at 25 s.
     */
    @Test
    void a_client_trickling_its_request_line_is_cut_off_while_an_idle_event_stream_is_kept_open() throws Exception {
        try (TestServer server = TestServer.builder()
                .env("HTTP_HEADER_TIMEOUT_SECONDS", "1")
                .env("HTTP_IDLE_TIMEOUT_SECONDS", "2")
                .start()) {
            // Paused, so that no instance claims it and runs it: its stream stays open with nothing to send.
            String debate = TestDebates.debate(server.jdbi(), null).status("paused").completedAt(null).insert();
            try (Socket stream = new Socket("127.0.0.1", server.app().port());
                 Socket trickle = new Socket("127.0.0.1", server.app().port())) {
                StreamWatcher watcher = StreamWatcher.open(stream, debate);
                long streamOpened = System.nanoTime();

                long trickleStarted = System.nanoTime();
                boolean cutOff = trickleUntilClosed(trickle, 10_000);
                long trickleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - trickleStarted);
                boolean keptAlive = watcher.awaitKeepAlive(25_000);
                long streamMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - streamOpened);

                assertThat(cutOff).as("the trickling connection was closed by the server").isTrue();
                assertThat(trickleMillis).as("time until the trickling connection was closed").isLessThan(6_000);
                assertThat(keptAlive).as("a keep-alive arrived on the open stream: " + watcher.text()).isTrue();
                assertThat(watcher.ended()).as("the stream ended: " + watcher.text()).isFalse();
                assertThat(streamMillis).as("the stream was open past twice the idle timeout").isGreaterThan(4_000);
                assertThat(watcher.text()).startsWith("HTTP/1.1 200").contains("retry: 3000");
                watcher.stop();
            }
        }
    }

    /**
     * Sends "GET /api/health HTTP/1.1" and a Host header one byte every 250 ms, never finishing the headers, so
     * that the idle timeout never fires. True when the server closes the connection within {@code limitMillis}.
     */
    private static boolean trickleUntilClosed(Socket socket, long limitMillis) throws IOException {
        byte[] request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        socket.setSoTimeout(250);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        int sent = 0;
        while (System.nanoTime() < deadline) {
            try {
                out.write(sent < request.length ? request[sent] : 'x');
                out.flush();
                sent++;
                if (in.read() < 0) {
                    return true;
                }
                throw new AssertionError("The server answered a request whose headers never ended");
            } catch (SocketTimeoutException stillOpen) {
                // nothing from the server within 250 ms: send the next byte
            } catch (IOException closed) {
                return true;
            }
        }
        return false;
    }

    /** Reads an event stream on a raw socket in the background; notices keep-alives and the end of the stream. */
    private static final class StreamWatcher {
        private final StringBuffer received = new StringBuffer();
        private final CountDownLatch keepAlive = new CountDownLatch(1);
        private final AtomicBoolean ended = new AtomicBoolean();
        private final AtomicBoolean stop = new AtomicBoolean();

        static StreamWatcher open(Socket socket, String debateId) throws IOException {
            socket.setSoTimeout(200);
            socket.getOutputStream().write(("GET /api/debate/" + debateId + "/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            StreamWatcher watcher = new StreamWatcher();
            Thread reader = new Thread(() -> watcher.read(socket), "sse-watcher");
            reader.setDaemon(true);
            reader.start();
            return watcher;
        }

        private void read(Socket socket) {
            byte[] buffer = new byte[4096];
            try {
                InputStream in = socket.getInputStream();
                while (!stop.get()) {
                    try {
                        int read = in.read(buffer);
                        if (read < 0) {
                            break;
                        }
                        received.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        if (received.indexOf(": keepalive") >= 0) {
                            keepAlive.countDown();
                        }
                    } catch (SocketTimeoutException e) {
                        // poll the stop flag
                    }
                }
            } catch (IOException e) {
                // reset by the server: the stream ended
            }
            if (!stop.get()) {
                ended.set(true);
                keepAlive.countDown();
            }
        }

        /** True when a keep-alive comment arrived within {@code millis} (false as soon as the stream ends). */
        boolean awaitKeepAlive(long millis) throws InterruptedException {
            return keepAlive.await(millis, TimeUnit.MILLISECONDS) && !ended.get();
        }

        boolean ended() {
            return ended.get();
        }

        void stop() {
            stop.set(true);
        }

        String text() {
            return received.toString();
        }
    }
}
