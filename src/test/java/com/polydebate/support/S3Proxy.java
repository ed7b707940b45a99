package com.polydebate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 wire implementation for tests: S3Proxy 2.6.0 with its in-memory ("transient") backend, signature V4
 * checked against a test key. S3Proxy brings Jetty 11, jclouds and its own Jackson, which cannot share a class
 * path with Javalin's Jetty 12, so it runs in a child JVM from its self-contained jar (copied to
 * {@code target/s3proxy/s3proxy.jar} by the build), one per test JVM, stopped when the JVM exits. Each test takes
 * its own bucket.
 */
public final class S3Proxy {
    public static final String ACCESS_KEY = "polydebate-test-access";
    public static final String SECRET_KEY = "polydebate-test-secret-do-not-log";
    private static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "s3proxy", "s3proxy.jar");
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Proxy shared;

    private final URI endpoint;
    private final S3Client client;

    private S3Proxy(URI endpoint) {
        this.endpoint = endpoint;
        this.client = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The test JVM's S3Proxy, started on first use. */
    public static synchronized S3Proxy shared() {
        if (shared == null) {
            shared = new S3Proxy(start());
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A new empty bucket with a name no other test uses. */
    public String newBucket() {
        String bucket = "pd-test-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** Every key in the bucket, sorted. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    /** The S3_* settings that point a server at {@code bucket}. */
    public TestServer.Builder configure(TestServer.Builder builder, String bucket) {
        return builder.env("S3_BUCKET", bucket)
                .env("S3_ENDPOINT", endpoint.toString())
                .env("S3_PATH_STYLE", "true")
                .env("S3_ACCESS_KEY_ID", ACCESS_KEY)
                .env("S3_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    public S3Client client() {
        return client;
    }

    private static URI start() {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing; run the tests through Maven (the build copies "
                    + "S3Proxy there in generate-test-resources)");
        }
        try {
            int port = FreePort.any();
            Path dir = Files.createTempDirectory("s3proxy");
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient",
                    "jclouds.identity=unused",
                    "jclouds.credential=unused", ""));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-jar", JAR.toAbsolutePath().toString(), "--properties", properties.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "stop-s3proxy"));
            awaitPort(process, port, dir.resolve("s3proxy.log"));
            return URI.create("http://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitPort(Process process, int port, Path log) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s:\n"
                + Files.readString(log));
    }
}
