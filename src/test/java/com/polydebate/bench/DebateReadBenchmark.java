package com.polydebate.bench;

import static com.polydebate.support.TestDebates.predictions;

import com.polydebate.support.TestDebates;
import com.polydebate.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput and latency of {@code GET /api/debate/{id}} on the real server (SQLite file, full HTTP stack)
 * for a 9-message and a 30-message debate, with N concurrent keep-alive connections (one HttpClient per
 * worker, so each worker holds exactly one connection). Not a test: run it by hand, see docs/benchmarks.md.
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
        long start = System.nanoTime();
        for (int w = 0; w < connections; w++) {
            long[] latencies = new long[2_000_000 / connections];
            perWorker.add(latencies);
            int worker = w;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
                int n = 0;
                while (System.nanoTime() < end && n < latencies.length) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                        bytes.set(response.body().length);
                    } catch (Exception e) {
                        errors.incrementAndGet();
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
}
