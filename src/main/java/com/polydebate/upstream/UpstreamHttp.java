package com.polydebate.upstream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;

/**
 * Transport shared by every upstream client: one JDK HttpClient, gzip accepted and decoded, and failures
 * before an HTTP answer turned into {@link UpstreamException}. Wire formats live in the client classes.
 */
public final class UpstreamHttp {
    public static final String BROWSER_USER_AGENT =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";

    private final CompletableFuture<HttpClient> client;
    private final Duration connectTimeout;
    private final AtomicBoolean building;
    private final UpstreamMetrics metrics;

    public UpstreamHttp(HttpClient client) {
        this(client, UpstreamMetrics.NONE);
    }

    public UpstreamHttp(HttpClient client, UpstreamMetrics metrics) {
        this(CompletableFuture.completedFuture(client), null, true, metrics);
    }

    private UpstreamHttp(CompletableFuture<HttpClient> client, Duration connectTimeout, boolean built,
                         UpstreamMetrics metrics) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.building = new AtomicBoolean(built);
        this.metrics = metrics;
    }

    /**
     * A transport whose client is built later: building it loads the JDK's trust store for TLS, a large part of
     * start-up that nothing before the first upstream call needs. {@link #buildInBackground()} builds it once the
     * server answers (on two cores, not while it starts); a call before that builds it on the caller's thread.
     */
    public static UpstreamHttp builtLater(Duration connectTimeout, UpstreamMetrics metrics) {
        return new UpstreamHttp(new CompletableFuture<>(), connectTimeout, false, metrics);
    }

    /** Builds the client on a thread of its own, unless it is built or being built already. */
    public void buildInBackground() {
        if (building.compareAndSet(false, true)) {
            Thread builder = new Thread(this::build, "upstream-client-init");
            builder.setDaemon(true);
            builder.start();
        }
    }

    private void build() {
        try {
            client.complete(newClient(connectTimeout));
        } catch (RuntimeException | Error e) {
            client.completeExceptionally(e);
        }
    }

    private HttpClient client() {
        if (building.compareAndSet(false, true)) {
            build();
        }
        return client.join();
    }

    /** The configured base URL, with or without trailing slashes, joined with an absolute path. */
    public static URI endpoint(URI base, String path) {
        return URI.create(base.toString().replaceAll("/+$", "") + path);
    }

    public static HttpClient newClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Sends the request (whose builder must already carry its timeout) and waits for the answer. */
    public UpstreamResponse send(HttpRequest.Builder request) {
        try {
            return sendAsync(request).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UpstreamException upstream) {
                throw upstream;
            }
            throw new UpstreamException("Upstream call failed: " + e.getCause(), e.getCause(), false);
        }
    }

    /** Asynchronous form; cancelling the future abandons the request. */
    public CompletableFuture<UpstreamResponse> sendAsync(HttpRequest.Builder request) {
        HttpRequest built = request.header("Accept-Encoding", "gzip").build();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> exchange = client().sendAsync(built, HttpResponse.BodyHandlers.ofByteArray());
        // The JDK's request timeout stops once the headers arrive; an upstream that then trickles its body (OpenRouter
        // sends whitespace to keep slow answers alive) would never time out. The deadline covers the whole answer.
        CompletableFuture<HttpResponse<byte[]>> bounded = built.timeout()
                .map(t -> exchange.copy().orTimeout(t.toMillis(), TimeUnit.MILLISECONDS)).orElse(exchange);
        bounded.whenComplete((response, error) -> {
            if (error != null) {
                exchange.cancel(true);
            }
        });
        return bounded
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                        boolean timeout = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
                        if (!(cause instanceof CancellationException)) {
                            metrics.record(built.uri(), timeout ? "timeout" : "error", System.nanoTime() - started);
                        }
                        throw new UpstreamException(
                                (timeout ? "Timed out calling " : "Could not reach ") + built.uri().getHost()
                                        + (timeout ? "" : ": " + cause), cause, timeout);
                    }
                    metrics.record(built.uri(), UpstreamMetrics.outcome(response.statusCode()),
                            System.nanoTime() - started);
                    return new UpstreamResponse(response.statusCode(), response.headers(), decode(response));
                });
    }

    /**
     * Sends the request and completes once the status and headers are in, within {@code headersWithin}; the body is
     * then read chunk by chunk from the answer. The body is asked for uncompressed, since it is read as it comes.
     */
    public CompletableFuture<StreamedResponse> openStream(HttpRequest.Builder request, Duration headersWithin) {
        HttpRequest built = request.timeout(headersWithin).build();
        long started = System.nanoTime();
        StreamedResponse.Chunks chunks = new StreamedResponse.Chunks();
        // ofPublisher completes with the headers; the body flows to the subscriber once it subscribes.
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> exchange = client().sendAsync(built,
                HttpResponse.BodyHandlers.ofPublisher());
        CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> bounded = exchange.copy()
                .orTimeout(headersWithin.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((response, error) -> {
            if (error != null) {
                chunks.cancel();
                exchange.cancel(true);
            }
        });
        return bounded.handle((response, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                boolean timeout = cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
                if (!(cause instanceof CancellationException)) {
                    metrics.record(built.uri(), timeout ? "timeout" : "error", System.nanoTime() - started);
                }
                throw new UpstreamException((timeout ? "Timed out calling " : "Could not reach ")
                        + built.uri().getHost() + (timeout ? "" : ": " + cause), cause, timeout);
            }
            metrics.record(built.uri(), UpstreamMetrics.outcome(response.statusCode()), System.nanoTime() - started);
            response.body().subscribe(chunks);
            return new StreamedResponse(response.statusCode(), response.headers(), chunks);
        });
    }

    private static byte[] decode(HttpResponse<byte[]> response) {
        boolean gzip = response.headers().firstValue("Content-Encoding")
                .map(v -> v.equalsIgnoreCase("gzip")).orElse(false);
        if (!gzip) {
            return response.body();
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Malformed gzip body from upstream", e);
        }
    }
}
