package com.polydebate.bench;

import static com.polydebate.support.TestDebates.predictions;

import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput and latency of {@code GET /api/debate/{id}} on the real server (SQLite file, full HTTP stack)
 * for a 9-message and a 30-message debate, with N concurrent keep-alive connections (one worker thread per
 * socket, with a minimal HTTP/1.1 client). Not a test: run it by hand, see docs/benchmarks.md.
 *
 * <p>Arguments (optional): connections (50), warm-up seconds (5), measured seconds (15).
 */
public final class DebateReadBenchmark {
    private DebateReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int measureSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        try (TestServer server = TestServer.start()) {
            String nine = debate(server, 3, 3);
            String thirty = debate(server, 3, 10);
            System.out.printf(Locale.ROOT, "cores=%d java=%s connections=%d warmup=%ds measure=%ds%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), connections,
                    warmupSeconds, measureSeconds);
            for (String[] scenario : new String[][] {{"9 messages", nine}, {"30 messages", thirty}}) {
                URI uri = URI.create(server.baseUrl() + "/api/debate/" + scenario[1]);
                run(uri, connections, warmupSeconds);
                Result r = run(uri, connections, measureSeconds);
                System.out.printf(Locale.ROOT, "%-12s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms  "
                                + "errors %d  (%d requests, %d bytes each)%n", scenario[0], r.throughput(),
                        r.percentile(50), r.percentile(99), r.percentile(100), r.errors(), r.count(), r.bytes());
            }
        }
    }

    /** A debate of {@code models × rounds} messages, each with predictions, as the engine stores them. */
    private static String debate(TestServer server, int models, int rounds) {
        TestDebates builder = TestDebates.debate(server.jdbi(), null)
                .market("16167", "Will Bitcoin reach $100k in 2025?", "Crypto")
                .outcome("Yes", 0.45).outcome("No", 0.55).status("completed").rounds(rounds);
        for (int m = 0; m < models; m++) {
            builder.model("provider/model-" + m, "Provider: Model " + m, "Provider");
        }
        for (int r = 1; r <= rounds; r++) {
            for (int m = 0; m < models; m++) {
                builder.message(r, "provider/model-" + m, "Round " + r + " argument of model " + m
                                + ": ETF inflows and the halving cycle point to a stronger year-end than priced.",
                        predictions("Yes", 40.0 + r + m, "No", 60.0 - r - m));
            }
        }
        return builder.insert();
    }

    private record Result(long[] latenciesNanos, long count, long errors, double seconds, long bytes) {
        double throughput() {
            return count / seconds;
        }

        double percentile(int p) {
            if (count == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
            return latenciesNanos[index] / 1e6;
        }
    }

    private static Result run(URI uri, int connections, int seconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> perWorker = new ArrayList<>();
        long[] counts = new long[connections];
        AtomicLong errors = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        byte[] request = ("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAccept: application/json\r\nConnection: keep-alive\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        for (int w = 0; w < connections; w++) {
            long[] latencies = new long[2_000_000 / connections];
            perWorker.add(latencies);
            int worker = w;
            Thread thread = new Thread(() -> {
                int n = 0;
                Connection connection = null;
                while (System.nanoTime() < end && n < latencies.length) {
                    long t0 = System.nanoTime();
                    try {
                        if (connection == null) {
                            connection = new Connection(uri.getHost(), uri.getPort());
                        }
                        int length = connection.exchange(request);
                        if (length < 0) {
                            errors.incrementAndGet();
                        } else {
                            bytes.set(length);
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                        connection = null;
                    }
                    latencies[n++] = System.nanoTime() - t0;
                }
                counts[worker] = n;
                done.countDown();
            }, "bench-" + w);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) total];
        int offset = 0;
        for (int w = 0; w < connections; w++) {
            System.arraycopy(perWorker.get(w), 0, all, offset, (int) counts[w]);
            offset += (int) counts[w];
        }
        Arrays.sort(all);
        return new Result(all, total, errors.get(), elapsed, bytes.get());
    }

    /**
     * One keep-alive HTTP/1.1 connection with a minimal client (fixed request bytes; Content-Length or chunked
     * answers), so that the load generator, which shares the machine, spends as little CPU as possible.
     */
    private static final class Connection {
        private final OutputStream out;
        private final InputStream in;

        Connection(String host, int port) throws IOException {
            Socket socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        }

        /** Sends the request and reads the whole answer; the body length, or -1 when the status is not 200. */
        int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            int contentLength = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    contentLength = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            int length = 0;
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    skip(size);
                    line();
                    length += size;
                }
                line();
            } else {
                skip(contentLength);
                length = contentLength;
            }
            return status.startsWith("HTTP/1.1 200") ? length : -1;
        }

        private void skip(int count) throws IOException {
            in.skipNBytes(count);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c == -1) {
                    throw new EOFException();
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
