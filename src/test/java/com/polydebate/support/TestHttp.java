package com.polydebate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JDK HttpClient wrapper talking to the server under test. */
public final class TestHttp {
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    private final String baseUrl;

    public TestHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    public TestResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new TestResponse(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public TestResponse get(String path, String... headers) {
        HttpRequest.Builder request = request(path).GET();
        withHeaders(request, headers);
        return send(request);
    }

    public TestResponse post(String path, String json, String... headers) {
        return withBody("POST", path, json, headers);
    }

    public TestResponse put(String path, String json, String... headers) {
        return withBody("PUT", path, json, headers);
    }

    public TestResponse delete(String path, String... headers) {
        HttpRequest.Builder request = request(path).DELETE();
        withHeaders(request, headers);
        return send(request);
    }

    private TestResponse withBody(String method, String path, String json, String... headers) {
        HttpRequest.Builder request = request(path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        withHeaders(request, headers);
        return send(request);
    }

    /** Headers as name, value pairs; ("Authorization", "Bearer x"). */
    private static void withHeaders(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
    }

    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }
}
