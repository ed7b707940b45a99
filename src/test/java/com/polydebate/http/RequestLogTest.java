package com.polydebate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every request gets an id of its own and one line in the request log, which its own thread writes. */
class RequestLogTest {

    @Test
    void request_ids_are_unique_and_each_request_has_its_line_in_the_request_log() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Standard error still shows everything; the copy is what the assertions read.
        System.setErr(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        try (TestServer server = TestServer.start()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TestResponse response = server.http().get(i % 2 == 0 ? "/api/health" : "/api/no-such-route");
                ids.add(response.header("X-Request-Id").orElseThrow());
            }
            Set<String> distinct = new HashSet<>(ids);
            assertThat(distinct).hasSize(ids.size());

            // The writer flushes a few times a second.
            String last = ids.get(ids.size() - 1) + " GET /api/no-such-route 404 ";
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!captured.toString(StandardCharsets.UTF_8).contains(last) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            for (int i = 0; i < ids.size(); i++) {
                String line = ids.get(i) + (i % 2 == 0 ? " GET /api/health 200 " : " GET /api/no-such-route 404 ");
                assertThat(log).as("log line of request %d", i).contains(line);
            }
            assertThat(log).contains("INFO http - " + ids.get(0) + " GET /api/health 200 ");
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void two_servers_never_hand_out_the_same_request_id() {
        try (TestServer first = TestServer.start(); TestServer second = TestServer.start()) {
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 50; i++) {
                ids.add(first.http().get("/api/health").header("X-Request-Id").orElseThrow());
                ids.add(second.http().get("/api/health").header("X-Request-Id").orElseThrow());
            }
            assertThat(ids).hasSize(100);
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            first.flush();
        }
    }
}
