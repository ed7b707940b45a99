package com.polydebate.bench;

import com.polydebate.App;
import com.polydebate.storage.BlobStore;
import com.polydebate.support.S3Proxy;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: GET /api/audio/{file} of a 100 KB MP3 served from the local disk and from an S3 bucket (S3Proxy on
 * loopback, in its own JVM), with N keep-alive connections (one JDK-client thread each) for a fixed time, the
 * server in this JVM. Prints one table row per store: requests, req/s, p50/p99 ms, errors.
 *
 * <pre>
 * mvn -q -B -o test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=com.polydebate.bench.AudioServingBenchmark
 * </pre>
 * System properties: {@code bench.connections} (50), {@code bench.seconds} (10), {@code bench.warmup} (3).
 */
public final class AudioServingBenchmark {
    private static final int CONNECTIONS = Integer.getInteger("bench.connections", 50);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup", 3);
    private static final String FILE = "bench-audio-0001.mp3";
    private static final int SIZE = 100 * 1024;

    private AudioServingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        byte[] audio = new byte[SIZE];
        new Random(7).nextBytes(audio);
        System.out.printf("| store | requests | req/s | p50 ms | p99 ms | errors |%n|---|---|---|---|---|---|%n");
        try (TestServer disk = TestServer.builder().env("LOG_LEVEL", "WARN").start()) {
            System.out.println(run("local disk", disk, audio));
        }
        S3Proxy s3 = S3Proxy.shared();
        try (TestServer bucket = s3.configure(TestServer.builder().env("LOG_LEVEL", "WARN"), s3.newBucket()).start()) {
            System.out.println(run("S3 (S3Proxy, loopback)", bucket, audio));
        }
        System.exit(0);
    }

    private static String run(String name, TestServer server, byte[] audio) throws Exception {
        try (BlobStore blobs = App.blobStore(server.config())) {
            blobs.put("audio/" + FILE, audio, "audio/mpeg");
        }
        URI uri = URI.create(server.baseUrl() + "/api/audio/" + FILE);
        load(uri, WARMUP_SECONDS);
        return load(uri, SECONDS).row(name);
    }

    private record Result(long requests, long errors, long[] micros, double seconds) {
        String row(String name) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d |", name, requests,
                    requests / seconds, percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, errors);
        }

        private static long percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
        }
    }

    private static Result load(URI uri, int seconds) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long started = System.nanoTime();
        List<Future<long[]>> workers = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            workers.add(threads.submit(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest request = HttpRequest.newBuilder(uri).GET().build();
                List<Long> latencies = new ArrayList<>();
                long errors = 0;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200 || response.body().length != SIZE) {
                        errors++;
                    }
                    latencies.add((System.nanoTime() - t0) / 1000);
                }
                long[] out = new long[latencies.size() + 1];
                out[0] = errors;
                for (int j = 0; j < latencies.size(); j++) {
                    out[j + 1] = latencies.get(j);
                }
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> worker : workers) {
            long[] out = worker.get();
            errors += out[0];
            for (int j = 1; j < out.length; j++) {
                all.add(out[j]);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        threads.shutdown();
        return new Result(all.size(), errors, all.stream().mapToLong(Long::longValue).toArray(), elapsed);
    }
}
