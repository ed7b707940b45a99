package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.polydebate.support.FakeUpstream;
import com.polydebate.support.FakeUpstream.Reply;
import com.polydebate.support.Fixtures;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-wide robustness (§1–§3): every route listed in the served OpenAPI document gets hostile path
 * parameters, broken bodies and absurd query parameters from an anonymous caller, a user and an admin. Every
 * answer must be a clear non-5xx answer in the error format without Java internals, and the stored user,
 * debates and favorite must read back unchanged afterwards. Routes come from the document, so a new route is
 * covered without touching this test.
 */
class BadInputAcrossRoutesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");
    private static final Pattern JAVA_INTERNALS = Pattern.compile(
            "[A-Za-z]Exception\\b|\\bat com\\.polydebate|\\bjava\\.[a-z]+\\.|\\bjavax?\\.|\\bio\\.javalin\\.|"
                    + "\\borg\\.eclipse\\.|\\bcom\\.fasterxml\\.|\\tat [a-z]");
    private static final String BINARY_MARKET = "2890";
    /** Swagger UI's static files are plumbing, not API. */
    private static final String DOCS_ASSETS = "/api/docs/assets/";
    /** Path segments as they go on the wire (already percent-encoded where needed). */
    private static final List<String> HOSTILE_SEGMENTS = List.of(
            "..%2F..%2Fetc%2Fpasswd", "%00", "x".repeat(5000), "-1", "99999999999999999999", "%F0%9F%92%A5",
            "'%3B%20DROP%20TABLE%20users%3B--", UUID.randomUUID().toString());
    private static final List<String> ABSURD_QUERIES = List.of(
            "limit=-1", "limit=abc", "offset=1e9", "offset=-5", "status=%00", "format=../../x", "format=%00",
            "date_from=notadate", "date_to=9999-99-99", "type=x", "sort=%27%3B--", "category=%F0%9F%92%A5",
            "closed=maybe", "tag_id=-1", "include_audio=2", "last_event_id=99999999999999999999",
            "market_id=%00", "unknown_param=1&t=abc", "limit=99999999999999999999&offset=99999999999999999999");

    private static final FakeUpstream gamma = new FakeUpstream();
    private static final FakeUpstream clob = new FakeUpstream();
    private static final FakeUpstream web = new FakeUpstream();
    private static final FakeUpstream openRouter = new FakeUpstream();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

    private static TestServer server;
    private static TestUser user;
    private static TestUser admin;
    private static String userDebate;
    private static final Map<String, String> snapshots = new LinkedHashMap<>();
    private static List<Operation> operations;

    private final List<String> problems = new ArrayList<>();
    private int requests;

    /**
     * One documented operation: method, path template, body media type (or null), whether the document marks
     * the body required, and the body's field names.
     */
    private record Operation(String method, String path, String bodyType, boolean bodyRequired,
                             Map<String, List<String>> fields) {
        boolean hasPathParams() {
            return PATH_PARAM.matcher(path).find();
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Who sends a request: a label and the Authorization header (none for anonymous). */
    private record Caller(String name, String token) {
    }

    @BeforeAll
    static void start() throws IOException {
        String binary = MAPPER.readTree(Fixtures.text("polymarket-gamma/event-binary.json")).get(0).toString();
        gamma.on("GET", "/events/" + BINARY_MARKET, call -> Reply.json(200, binary));
        gamma.on("GET", "/events", call -> Reply.json(200, Fixtures.text("polymarket-gamma/events-list.json")));
        gamma.on("GET", "/events/pagination", call -> Reply.json(200,
                "{\"data\":" + Fixtures.text("polymarket-gamma/events-list.json") + "}"));
        gamma.on("GET", "/tags", call -> Reply.json(200, Fixtures.text("polymarket-gamma/tags.json")));
        clob.on("GET", "/prices-history", call -> Reply.json(200, Fixtures.text("polymarket-clob/prices-history.json")));
        web.on("GET", "/api/biggest-movers", call -> Reply.json(200, "{\"markets\":[]}"));
        openRouter.on("GET", "/models", call -> Reply.json(200, Fixtures.text("openrouter/models.json")));
        openRouter.on("GET", "/api/v1/models", call -> Reply.json(200, Fixtures.text("openrouter/models.json")));

        server = TestServer.builder()
                .env("POLYMARKET_GAMMA_URL", gamma.baseUrl())
                .env("POLYMARKET_CLOB_URL", clob.baseUrl())
                .env("POLYMARKET_WEB_URL", web.baseUrl())
                .env("OPENROUTER_API_URL", openRouter.baseUrl())
                .env("OPENROUTER_API_KEY", "or-test-key")
                .env("ALLOWED_MODELS", "openai/gpt-4o-mini")
                .start();
        user = server.createUser("user@example.com", "Ordinary User", false);
        admin = server.createUser("admin@example.com", "Admin User", true);
        userDebate = TestDebates.debate(server.jdbi(), user.id()).market(BINARY_MARKET, "Will it?", "Crypto")
                .message(1, "openai/gpt-4o-mini", "Yes looks likely.", TestDebates.predictions("Yes", 60.0, "No", 40.0))
                .insert();
        // A terminal event lets the stream of this debate answer and close instead of waiting for a live run.
        server.jdbi().useHandle(h -> h.createUpdate("INSERT INTO debate_events (debate_id, seq, event, data, created_at, "
                        + "is_terminal) VALUES (:id, 1, 'debate_complete', :data, '2026-11-28T10:03:00.000Z', TRUE)")
                .bind("id", userDebate).bind("data", "{\"debate_id\":\"" + userDebate + "\"}").execute());
        String runningDebate = TestDebates.debate(server.jdbi(), user.id()).status("paused").completedAt(null)
                .rounds(3).currentRound(1).insert();
        String adminDebate = TestDebates.debate(server.jdbi(), admin.id()).insert();
        String anonymousDebate = TestDebates.debate(server.jdbi(), null).insert();
        TestResponse favorite = server.http().post("/api/favorites", "{\"market_id\":\"" + BINARY_MARKET + "\"}",
                user.auth());
        assertThat(favorite.status()).as(favorite.body()).isIn(200, 201);

        // Reading results stores the final summary of a finished debate once; do that before the snapshot.
        for (String id : List.of(userDebate, adminDebate, anonymousDebate)) {
            assertThat(server.http().get("/api/debate/" + id + "/results").status()).isEqualTo(200);
        }
        snapshots.put("user me", "/api/auth/me");
        snapshots.put("user favorites", "/api/favorites");
        snapshots.put("admin me", "/api/auth/me");
        for (String id : List.of(userDebate, runningDebate, adminDebate, anonymousDebate)) {
            snapshots.put("debate " + id, "/api/debate/" + id);
        }
        snapshots.replaceAll((label, path) -> read(label, path));

        operations = documentedOperations(server.http().get("/api/openapi.json").json());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        gamma.close();
        clob.close();
        web.close();
        openRouter.close();
    }

    /** Reads a snapshot path as the caller its label names; the answer (status and body) is the snapshot. */
    private static String read(String label, String path) {
        String[] auth = label.startsWith("admin") ? admin.auth() : user.auth();
        TestResponse response = server.http().get(path, auth);
        return response.status() + " " + response.body();
    }

    @AfterEach
    void stored_data_is_intact_and_the_server_healthy() {
        snapshots.forEach((label, before) -> assertThat(read(label, pathOf(label)))
                .as("%s after the barrage", label).isEqualTo(before));
        assertThat(server.http().get("/api/health").status()).isEqualTo(200);
    }

    private static String pathOf(String label) {
        if (label.startsWith("debate ")) {
            return "/api/debate/" + label.substring("debate ".length());
        }
        return label.endsWith("favorites") ? "/api/favorites" : "/api/auth/me";
    }

    private static List<Operation> documentedOperations(JsonNode document) {
        JsonNode schemas = document.path("components").path("schemas");
        List<Operation> found = new ArrayList<>();
        document.path("paths").fields().forEachRemaining(path -> {
            if (path.getKey().startsWith(DOCS_ASSETS)) {
                return;
            }
            path.getValue().fields().forEachRemaining(op -> {
                String method = op.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE").contains(method)) {
                    return;
                }
                String bodyType = null;
                boolean bodyRequired = op.getValue().path("requestBody").path("required").asBoolean(false);
                Map<String, List<String>> fields = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> content = op.getValue().path("requestBody").path("content").fields();
                if (content.hasNext()) {
                    Map.Entry<String, JsonNode> media = content.next();
                    bodyType = media.getKey();
                    JsonNode schema = media.getValue().path("schema");
                    if (schema.has("$ref")) {
                        String ref = schema.get("$ref").asText();
                        schema = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
                    }
                    schema.path("properties").fields().forEachRemaining(property -> {
                        JsonNode type = property.getValue().path("type");
                        List<String> types = new ArrayList<>();
                        if (type.isArray()) {
                            type.forEach(t -> types.add(t.asText()));
                        } else {
                            types.add(type.asText());
                        }
                        fields.put(property.getKey(), types);
                    });
                }
                found.add(new Operation(method, path.getKey(), bodyType, bodyRequired, fields));
            });
        });
        return found;
    }

    private List<Caller> callers() {
        return List.of(new Caller("anonymous", null), new Caller("user", user.token()),
                new Caller("admin", admin.token()));
    }

    /** Fills path parameters with values that exist, so that query-parameter and body checks get past lookups. */
    private static String withRealParams(String template) {
        Matcher m = PATH_PARAM.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = switch (name) {
                case "debate_id" -> userDebate;
                case "market_id" -> BINARY_MARKET;
                case "user_id" -> String.valueOf(user.id() + 1000);
                case "resource_id" -> "424242";
                default -> "missing-file.mp3";
            };
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String withParam(String template, String value) {
        return PATH_PARAM.matcher(template).replaceAll(Matcher.quoteReplacement(value));
    }

    private TestResponse send(Caller caller, String method, String path, String contentType, byte[] body) {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (caller.token() != null) {
            request.header("Authorization", "Bearer " + caller.token());
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new TestResponse(response.statusCode(), response.headers(), response.body());
        } catch (HttpTimeoutException e) {
            problems.add(describe(caller, method, path, body) + " hung (no answer within 15 s)");
            return null;
        } catch (IOException e) {
            problems.add(describe(caller, method, path, body) + " lost the connection: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String describe(Caller caller, String method, String path, byte[] body) {
        String shownPath = path.length() > 120 ? path.substring(0, 120) + "…" : path;
        String shownBody = body == null ? "" : new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
        return caller.name() + " " + method + " " + shownPath + (body == null ? "" : " body=" + shownBody
                + (body.length > 80 ? "…(" + body.length + " bytes)" : ""));
    }

    /** Sends and checks the answer against §1–§3; returns it (null when there was none). */
    private TestResponse check(Caller caller, String method, String path, String contentType, byte[] body) {
        TestResponse response = send(caller, method, path, contentType, body);
        if (response == null) {
            return null;
        }
        String what = describe(caller, method, path, body) + " → " + response.status();
        String text = response.body();
        if (response.status() >= 500) {
            problems.add(what + " (server error): " + abbreviate(text));
        }
        if (JAVA_INTERNALS.matcher(text).find()) {
            problems.add(what + " leaks Java internals: " + abbreviate(text));
        }
        boolean json = response.header("Content-Type").orElse("").startsWith("application/json");
        if (response.status() >= 400 && !json) {
            problems.add(what + " is not a JSON error (" + response.header("Content-Type").orElse("no type") + "): "
                    + abbreviate(text));
        }
        if (response.status() >= 400 && json) {
            JsonNode error = parse(text).path("error");
            if (error.path("code").asText().isEmpty() || error.path("message").asText().isEmpty()
                    || error.path("timestamp").asText().isEmpty()) {
                problems.add(what + " lacks the error format: " + abbreviate(text));
            }
        }
        return response;
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            return MAPPER.createObjectNode();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    private void assertNoProblems() {
        assertThat(problems).as("problems among %d requests", requests).isEmpty();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_route_list_comes_from_the_served_document_and_covers_every_feature() {
        List<String> names = operations.stream().map(Operation::toString).toList();

        assertThat(names).contains("GET /api/markets/{market_id}", "POST /api/debate/start",
                "DELETE /api/debates/{debate_id}", "PUT /api/auth/profile", "DELETE /api/admin/users/{user_id}",
                "GET /api/favorites", "GET /uploads/avatars/{filename}", "GET /api/health");
        assertThat(names).noneMatch(name -> name.contains(DOCS_ASSETS));
        assertThat(operations.stream().filter(op -> "application/json".equals(op.bodyType())))
                .allMatch(op -> !op.fields().isEmpty());
    }

    @Test
    void hostile_path_parameters_get_a_clear_client_error_on_every_route() {
        for (Operation op : operations) {
            if (!op.hasPathParams()) {
                continue;
            }
            for (String segment : HOSTILE_SEGMENTS) {
                for (Caller caller : callers()) {
                    String path = withParam(op.path(), segment);
                    String type = op.bodyType() == null ? null : "application/json";
                    byte[] body = op.bodyType() == null ? null : utf8("{}");
                    TestResponse response = check(caller, op.method(), path, type, body);
                    if (response != null && response.status() < 300 && !op.method().equals("GET")) {
                        problems.add(describe(caller, op.method(), path, body) + " accepted a hostile id: "
                                + abbreviate(response.body()));
                    }
                }
            }
        }
        assertNoProblems();
    }

    private static List<String> malformedBodies() {
        return List.of("", "null", "[]", "\"text\"", "123", "{\"a\":", "{", "}", "{\"a\":1}}", "\u0000",
                "[".repeat(10_000) + "]".repeat(10_000), "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000),
                "{\"a\":" + "[".repeat(10_000));
    }

    /** The JSON type names of a value, as OpenAPI spells them ("integer" values are also "number"s). */
    private static List<String> typesOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case NUMBER -> value.canConvertToExactIntegral() ? List.of("integer", "number") : List.of("number");
            case OBJECT -> List.of("object");
            case ARRAY -> List.of("array");
            case BOOLEAN -> List.of("boolean");
            case STRING -> List.of("string");
            default -> List.of("null");
        };
    }

    /**
     * Bodies of the right shape whose fields all hold a value of a type the document does not allow for them
     * (numbers, objects, arrays and booleans for strings, strings for numbers, ...), then each field in turn
     * holding a 60 KB string or a 48 KB array.
     */
    private static List<String> wronglyTypedBodies(Map<String, List<String>> fields) {
        List<String> bodies = new ArrayList<>();
        for (String value : List.of("123", "-1.5e308", "{\"x\":\"y\"}", "\"text\"", "[1,\"2\",{}]", "true",
                "[".repeat(500) + "]".repeat(500))) {
            JsonNode node = parse(value);
            ObjectNode body = MAPPER.createObjectNode();
            fields.forEach((field, types) -> {
                if (typesOf(node).stream().noneMatch(types::contains)) {
                    body.set(field, node);
                }
            });
            if (!body.isEmpty()) {
                bodies.add(body.toString());
            }
        }
        String huge = "\"" + "é".repeat(30 * 1024) + "\"";
        for (String field : fields.keySet()) {
            bodies.add("{\"" + field + "\":" + huge + "}");
            bodies.add("{\"" + field + "\":[" + "\"x\",".repeat(12_000) + "\"x\"]}");
        }
        return bodies;
    }

    /**
     * An optional body may be blank; POST /api/favorites/markets is documented (§15.5) to take any non-JSON
     * body as "use the defaults".
     */
    private static boolean mayIgnoreBody(Operation op, String body) {
        return !op.bodyRequired() && body.isBlank()
                || op.method().equals("POST") && op.path().equals("/api/favorites/markets");
    }

    @Test
    void malformed_and_wrongly_typed_json_bodies_get_a_clear_client_error_on_every_route() {
        for (Operation op : operations) {
            if (!"application/json".equals(op.bodyType())) {
                continue;
            }
            String path = withRealParams(op.path());
            for (Caller caller : callers()) {
                check(caller, op.method(), path, null, null);
                for (String body : malformedBodies()) {
                    TestResponse response = check(caller, op.method(), path, "application/json", utf8(body));
                    if (response != null && response.status() < 300 && !mayIgnoreBody(op, body)) {
                        problems.add(describe(caller, op.method(), path, utf8(body)) + " accepted a malformed body");
                    }
                }
                for (String body : wronglyTypedBodies(op.fields())) {
                    check(caller, op.method(), path, "application/json", utf8(body));
                }
                byte[] tooLarge = utf8("{\"" + op.fields().keySet().iterator().next() + "\":\"" + "x".repeat(70 * 1024) + "\"}");
                TestResponse response = check(caller, op.method(), path, "application/json", tooLarge);
                if (caller.name().equals("admin") && response != null && response.status() != 413) {
                    problems.add(describe(caller, op.method(), path, tooLarge) + " answered " + response.status()
                            + " instead of 413");
                }
            }
        }
        assertNoProblems();
    }

    @Test
    void broken_multipart_bodies_get_a_clear_client_error() {
        String boundary = "----fuzz-" + UUID.randomUUID();
        String part = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nNew Name\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n0000";
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("application/json", utf8("{\"name\":\"New Name\"}"));
        bodies.put("multipart/form-data; boundary=" + boundary, utf8("--wrong-boundary\r\n" + part + "\r\n--wrong--"));
        bodies.put("multipart/form-data; boundary=" + boundary + " ", utf8(part));
        bodies.put("multipart/form-data", utf8(part + "\r\n--" + boundary + "--\r\n"));
        bodies.put("multipart/form-data; boundary=\"", utf8(part));
        bodies.put("multipart/form-data; boundary=" + boundary + "x", utf8(part + "\r\n--" + boundary + "--\r\n"));
        bodies.put("multipart/form-data; boundary=" + "b".repeat(5000), utf8(part));
        bodies.put("multipart/form-data; boundary=" + boundary + ";", new byte[0]);
        bodies.put("multipart/form-data;boundary=" + boundary, utf8("--" + boundary + "\r\nContent-Disposition"));
        for (Operation op : operations) {
            if (!"multipart/form-data".equals(op.bodyType())) {
                continue;
            }
            for (Caller caller : callers()) {
                check(caller, op.method(), op.path(), null, null);
                bodies.forEach((type, body) -> {
                    TestResponse response = check(caller, op.method(), op.path(), type, body);
                    if (response != null && response.status() < 300) {
                        problems.add(describe(caller, op.method(), op.path(), body) + " as " + type
                                + " was accepted");
                    }
                });
            }
        }
        assertNoProblems();
    }

    @Test
    void absurd_query_parameters_never_break_a_route() {
        for (Operation op : operations) {
            if (!op.method().equals("GET")) {
                continue;
            }
            String path = withRealParams(op.path());
            for (String query : ABSURD_QUERIES) {
                for (Caller caller : callers()) {
                    check(caller, "GET", path + "?" + query, null, null);
                }
            }
        }
        assertNoProblems();
    }
}
