package com.polydebate.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestDebates;
import com.polydebate.support.TestResponse;
import com.polydebate.support.TestServer;
import com.polydebate.support.TestServer.TestUser;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * Hardening at the wire: numbers no field can hold, byte ranges past 64 bits, the security headers of every kind
 * of answer, and a database that can no longer grow. Connection-level behaviour (Jetty's own errors, slow
 * clients) is in {@link RawConnectionHardeningTest}.
 */
class HardeningTest {
    /** JSON that parses to a number no field can hold: non-numeric literals and exponents past any double. */
    private static final List<String> NON_FINITE = List.of(
            "1e999", "-1e999", "NaN", "Infinity", "-Infinity", "1E+400", "9.9e99999999999");
    private static final String AUDIO_FILE = "abc-DEF-123.mp3";
    private static final int AUDIO_SIZE = 100;
    /** Database.open's HikariCP pool size: max_page_count is a per-connection setting. */
    private static final int POOL_SIZE = 8;
    /** SQLite's primary result code for "database or disk is full". */
    private static final int SQLITE_FULL = 13;

    // ---- 1. Non-finite numbers in JSON bodies ----------------------------------------------------------------

    @Test
    void a_non_finite_number_in_any_field_of_any_documented_json_body_is_a_validation_error_naming_that_field() {
        try (TestServer server = TestServer.start()) {
            TestUser user = server.createUser("ada@example.com", "Ada", false);
            List<String> problems = new ArrayList<>();
            List<String> tested = new ArrayList<>();
            String before = storedRows(server);

            for (Map.Entry<String, List<String>> operation : jsonBodyFields(server).entrySet()) {
                String[] methodAndPath = operation.getKey().split(" ", 2);
                tested.add(operation.getKey());
                for (String field : operation.getValue()) {
                    for (String number : NON_FINITE) {
                        String body = "{\"" + field + "\":" + number + "}";
                        TestResponse response = sendJson(server, methodAndPath[0], methodAndPath[1], body, user);
                        checkRefusal(operation.getKey() + " " + body, response, field, problems);
                    }
                }
            }

            assertThat(tested).contains("POST /api/debate/start", "POST /api/favorites", "POST /api/favorites/markets",
                    "PUT /api/auth/me", "POST /api/auth/signup/request-code", "POST /api/admin/login");
            assertThat(problems).isEmpty();
            assertThat(storedRows(server)).isEqualTo(before);
        }
    }

    @Test
    void non_finite_numbers_in_the_debate_favorites_and_profile_bodies_are_refused_and_nothing_is_stored() {
        try (TestServer server = TestServer.builder().env("OPENROUTER_API_KEY", "or-test-key").start()) {
            TestUser user = server.createUser("ada@example.com", "Ada", false);
            String before = storedRows(server);
            List<String> problems = new ArrayList<>();
            Map<String, String> cases = new LinkedHashMap<>();
            cases.put("POST /api/debate/start {\"market_id\":1e999,\"model_ids\":[\"openai/gpt-4o-mini\"],\"rounds\":1}",
                    "market_id");
            cases.put("POST /api/debate/start {\"market_id\":\"16167\",\"model_ids\":[\"openai/gpt-4o-mini\"],"
                    + "\"rounds\":NaN}", "rounds");
            cases.put("POST /api/debate/start {\"market_id\":\"16167\",\"model_ids\":[-Infinity],\"rounds\":2}",
                    "model_ids[0]");
            cases.put("POST /api/favorites {\"market_id\":Infinity}", "market_id");
            cases.put("POST /api/favorites {\"market_id\":\"16167\",\"debate_id\":-1e400}", "debate_id");
            cases.put("POST /api/favorites/markets {\"limit\":NaN,\"offset\":0}", "limit");
            cases.put("POST /api/favorites/markets {\"limit\":10,\"offset\":1e999}", "offset");
            cases.put("PUT /api/auth/me {\"name\":Infinity}", "name");
            cases.put("PUT /api/auth/me {\"name\":\"Ada\",\"extra\":{\"deep\":[1,NaN]}}", "extra.deep[1]");

            cases.forEach((request, field) -> {
                String[] parts = request.split(" ", 3);
                checkRefusal(request, sendJson(server, parts[0], parts[1], parts[2], user), field, problems);
            });
            // The profile update takes multipart form data, whose fields are text; a JSON body is refused whole.
            TestResponse profile = sendJson(server, "PUT", "/api/auth/profile", "{\"name\":NaN}", user);
            checkRefusal("PUT /api/auth/profile {\"name\":NaN}", profile, "body", problems);

            assertThat(problems).isEmpty();
            assertThat(storedRows(server)).isEqualTo(before);
            assertThat(server.http().get("/api/auth/me", user.auth()).json().path("data").path("user")
                    .path("name").asText())
                    .isEqualTo("Ada");
        }
    }

    @Test
    void finite_numbers_next_to_the_refused_ones_are_still_accepted() {
        try (TestServer server = TestServer.start()) {
            TestUser user = server.createUser("ada@example.com", "Ada", false);

            TestResponse page = server.http().post("/api/favorites/markets", "{\"limit\":1e1,\"offset\":-1e-999}",
                    user.auth());
            TestResponse huge = server.http().post("/api/favorites/markets",
                    "{\"limit\":99999999999999999999999,\"offset\":0}", user.auth());

            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(huge.status()).as(huge.body()).isEqualTo(200);
            assertThat(page.json().path("data").path("limit").asInt()).isEqualTo(50);
            assertThat(huge.json().path("data").path("limit").asInt()).isEqualTo(100);
        }
    }

    /** The documented JSON request bodies as "METHOD /path" → field names, read from the served document. */
    private static Map<String, List<String>> jsonBodyFields(TestServer server) {
        JsonNode document = server.http().get("/api/openapi.json").json();
        JsonNode schemas = document.path("components").path("schemas");
        Map<String, List<String>> found = new LinkedHashMap<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            JsonNode schema = op.getValue().path("requestBody").path("content").path("application/json").path("schema");
            if (schema.isMissingNode()) {
                return;
            }
            if (schema.has("$ref")) {
                String ref = schema.get("$ref").asText();
                schema = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
            }
            List<String> fields = new ArrayList<>();
            schema.path("properties").fieldNames().forEachRemaining(fields::add);
            found.put(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), fields);
        }));
        return found;
    }

    private static TestResponse sendJson(TestServer server, String method, String path, String body, TestUser user) {
        return server.http().send(server.http().request(path)
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + user.token()));
    }

    /** A 400 or 422 validation_error in the error format whose details name {@code field}; else a problem. */
    private static void checkRefusal(String request, TestResponse response, String field, List<String> problems) {
        JsonNode error = response.json().path("error");
        boolean refused = (response.status() == 400 || response.status() == 422)
                && "validation_error".equals(error.path("code").asText())
                && error.path("details").has(field)
                && error.path("message").asText().contains(field)
                && error.path("timestamp").asText().endsWith("Z");
        if (!refused) {
            problems.add(request + " -> " + response.status() + " " + response.body());
        }
    }

    /** Every row of every table, for "nothing stored changed". */
    private static String storedRows(TestServer server) {
        return server.jdbi().withHandle(h -> {
            StringBuilder rows = new StringBuilder();
            String tables = TestDatabases.onPostgres()
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                            + "AND table_type = 'BASE TABLE' ORDER BY table_name"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
            for (String table : h.createQuery(tables).mapTo(String.class).list()) {
                rows.append(table).append(": ")
                        .append(h.createQuery("SELECT * FROM \"" + table + "\"").mapToMap().list().stream()
                                .map(String::valueOf).sorted().toList())
                        .append('\n');
            }
            return rows.toString();
        });
    }

    // ---- 2. Byte ranges past 64 bits -------------------------------------------------------------------------

    @Test
    void an_audio_range_beyond_64_bits_is_unsatisfiable_and_ordinary_ranges_still_work() throws IOException {
        try (TestServer server = TestServer.start()) {
            byte[] file = audioFile(server);

            for (String range : List.of("bytes=0-99999999999999999999", "bytes=99999999999999999999-",
                    "bytes=-99999999999999999999", "bytes=9223372036854775808-", "bytes=-9223372036854775808",
                    "bytes=00000000000000000000000000099999999999999999999-")) {
                TestResponse response = audio(server, range);

                assertThat(response.status()).as(range).isEqualTo(416);
                assertThat(response.header("Content-Range")).as(range).contains("bytes */" + AUDIO_SIZE);
                assertThat(response.bytes()).as(range).isEmpty();
            }

            assertRange(audio(server, "bytes=0-9"), "bytes 0-9/100", Arrays.copyOfRange(file, 0, 10));
            assertRange(audio(server, "bytes=95-"), "bytes 95-99/100", Arrays.copyOfRange(file, 95, 100));
            assertRange(audio(server, "bytes=-5"), "bytes 95-99/100", Arrays.copyOfRange(file, 95, 100));
            assertRange(audio(server, "bytes=10-9223372036854775807"), "bytes 10-99/100",
                    Arrays.copyOfRange(file, 10, 100));
            assertRange(audio(server, "bytes=-9223372036854775807"), "bytes 0-99/100", file);
            TestResponse beyondTheEnd = audio(server, "bytes=9223372036854775807-");
            assertThat(beyondTheEnd.status()).isEqualTo(416);
            assertThat(beyondTheEnd.header("Content-Range")).contains("bytes */100");
            TestResponse whole = server.http().get("/api/audio/" + AUDIO_FILE);
            assertThat(whole.status()).isEqualTo(200);
            assertThat(whole.bytes()).isEqualTo(file);
        }
    }

    private static byte[] audioFile(TestServer server) throws IOException {
        byte[] file = new byte[AUDIO_SIZE];
        for (int i = 0; i < file.length; i++) {
            file[i] = (byte) i;
        }
        Files.write(server.storage().resolve("audio").resolve(AUDIO_FILE), file);
        return file;
    }

    private static TestResponse audio(TestServer server, String range) {
        return server.http().get("/api/audio/" + AUDIO_FILE, "Range", range);
    }

    private static void assertRange(TestResponse response, String contentRange, byte[] bytes) {
        assertThat(response.status()).as(contentRange).isEqualTo(206);
        assertThat(response.header("Content-Range")).contains(contentRange);
        assertThat(response.bytes()).isEqualTo(bytes);
    }

    // ---- 4. Security headers ---------------------------------------------------------------------------------

    @Test
    void every_kind_of_answer_carries_the_security_headers_and_no_hsts_outside_production() throws Exception {
        try (TestServer server = TestServer.start()) {
            TestUser user = server.createUser("ada@example.com", "Ada", false);
            audioFile(server);
            avatarFile(server, "avatar-1.png");
            String debate = TestDebates.debate(server.jdbi(), user.id()).status("in_progress").completedAt(null)
                    .insert();
            Map<String, Map<String, List<String>>> answers = new LinkedHashMap<>();

            answers.put("json 200", expect(200, server.http().get("/api/health")));
            answers.put("json 201", expect(201, server.http().post("/api/favorites", "{\"market_id\":\"16167\"}",
                    user.auth())));
            answers.put("404", expect(404, server.http().get("/api/nope")));
            answers.put("401", expect(401, server.http().get("/api/auth/me")));
            answers.put("400 validation", expect(400, server.http().post("/api/favorites", "{\"market_id\":NaN}",
                    user.auth())));
            answers.put("405", expect(405, server.http().delete("/api/markets")));
            answers.put("preflight", expect(204, server.http().send(server.http().request("/api/favorites")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://localhost:3000")
                    .header("Access-Control-Request-Method", "POST"))));
            answers.put("audio 200", expect(200, server.http().get("/api/audio/" + AUDIO_FILE)));
            answers.put("audio 206", expect(206, audio(server, "bytes=0-9")));
            answers.put("audio 416", expect(416, audio(server, "bytes=99999999999999999999-")));
            answers.put("avatar", expect(200, server.http().get("/uploads/avatars/avatar-1.png")));
            answers.put("sse stream", streamHeaders(server, debate));
            RawSocket.Answer jetty = RawSocket.send(server.app().port(), RawSocket.request("GET", "/api/%C0%AF"));
            assertThat(jetty.status()).as(jetty.body()).isEqualTo(400);
            answers.put("jetty 400", jetty.headers());

            answers.forEach((kind, headers) -> {
                assertHardened(kind, headers);
                assertThat(headers.get("Strict-Transport-Security")).as(kind).isNull();
            });
            assertThat(answers.get("avatar").get("Content-Type")).containsExactly("image/png");
            assertThat(answers.get("sse stream").get("Content-Type").get(0)).startsWith("text/event-stream");
        }
    }

    @Test
    void the_docs_page_may_load_scripts_only_from_its_own_origin_and_has_no_inline_script() {
        try (TestServer server = TestServer.start()) {
            TestResponse docs = server.http().get("/api/docs");

            assertThat(docs.status()).isEqualTo(200);
            assertHardened("docs", docs.headers().map());
            Map<String, List<String>> policy = directives(docs.header("Content-Security-Policy").orElseThrow());
            assertThat(policy.get("script-src")).containsExactly("'self'");
            assertThat(policy.get("default-src")).containsExactly("'none'");
            assertThat(policy.get("frame-ancestors")).containsExactly("'none'");
            assertThat(docs.headers().allValues("Content-Security-Policy")).hasSize(1);
            String[] scripts = docs.body().split("<script");
            assertThat(scripts).hasSizeGreaterThan(1);
            for (int i = 1; i < scripts.length; i++) {
                assertThat(scripts[i]).as("a script element of the docs page")
                        .matches("(?s)\\s+src=\"/api/docs/assets/[^\"]+\"[^>]*>\\s*</script>.*");
            }
            TestResponse init = server.http().get("/api/docs/assets/init.js");
            assertThat(init.status()).isEqualTo(200);
            assertThat(init.body()).contains("SwaggerUIBundle");
        }
    }

    @Test
    void strict_transport_security_is_sent_in_production_on_api_answers_and_jetty_errors() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try (TestServer server = TestServer.builder()
                .env("APP_ENV", "production")
                .env("JWT_SECRET_KEY", HexFormat.of().formatHex(key))
                .start()) {
            Map<String, Map<String, List<String>>> answers = new LinkedHashMap<>();
            answers.put("json 200", expect(200, server.http().get("/api/health")));
            answers.put("404", expect(404, server.http().get("/api/nope")));
            answers.put("401", expect(401, server.http().get("/api/auth/me")));
            answers.put("docs", expect(200, server.http().get("/api/docs")));
            RawSocket.Answer jetty = RawSocket.send(server.app().port(), RawSocket.request("GET", "/api/markets/%FF"));
            assertThat(jetty.status()).as(jetty.body()).isEqualTo(400);
            answers.put("jetty 400", jetty.headers());

            answers.forEach((kind, headers) -> {
                assertHardened(kind, headers);
                assertThat(headers.get("Strict-Transport-Security")).as(kind).hasSize(1);
                assertThat(headers.get("Strict-Transport-Security").get(0)).as(kind).contains("max-age=31536000");
            });
        }
    }

    private static Map<String, List<String>> expect(int status, TestResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.headers().map();
    }

    private static void assertHardened(String kind, Map<String, List<String>> headers) {
        Map<String, List<String>> named = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        named.putAll(headers);
        assertThat(named.get("X-Content-Type-Options")).as(kind).containsExactly("nosniff");
        assertThat(named.get("Referrer-Policy")).as(kind).containsExactly("no-referrer");
        assertThat(named.get("X-Frame-Options")).as(kind).containsExactly("DENY");
        assertThat(named.get("Content-Security-Policy")).as(kind).hasSize(1);
        assertThat(directives(named.get("Content-Security-Policy").get(0)).get("frame-ancestors")).as(kind)
                .containsExactly("'none'");
    }

    /** A Content-Security-Policy as directive → source list. */
    private static Map<String, List<String>> directives(String policy) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        for (String directive : policy.split(";")) {
            List<String> words = Arrays.stream(directive.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
            if (!words.isEmpty()) {
                directives.put(words.get(0).toLowerCase(Locale.ROOT), words.subList(1, words.size()));
            }
        }
        return directives;
    }

    private static void avatarFile(TestServer server, String name) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        Files.write(server.storage().resolve("avatars").resolve(name), png.toByteArray());
    }

    /** The head of a live event stream; the stream itself is closed at once. */
    private static Map<String, List<String>> streamHeaders(TestServer server, String debateId) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/debate/" + debateId + "/stream"))
                        .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            return response.headers().map();
        }
    }

    // ---- 6. A database that cannot grow ----------------------------------------------------------------------

    @Test
    void a_full_database_answers_503_storage_unavailable_and_health_reports_it_not_writable() {
        try (TestServer server = TestServer.start()) {
            TestUser user = server.createUser("ada@example.com", "Ada", false);
            TestResponse healthy = server.http().get("/api/health");
            assertThat(healthy.status()).isEqualTo(200);
            assertThat(healthy.json().path("database").asText()).isEqualTo("ok");
            assertThat(healthy.json().path("writable").asBoolean()).isTrue();
            int filler = TestDatabases.onPostgres() ? refuseFavoritesAsADiskFull(server) : fillDatabase(server, user.id());

            TestResponse write = server.http().post("/api/favorites", "{\"market_id\":\"zz-market-000000\"}",
                    user.auth());

            assertThat(write.status()).as(write.body()).isEqualTo(503);
            assertThat(write.errorCode()).isEqualTo("storage_unavailable");
            assertThat(write.json().path("error").path("message").asText()).isNotBlank();
            assertThat(write.json().path("error").path("timestamp").asText()).endsWith("Z");
            assertThat(write.body()).doesNotContain("SQLITE", "Exception");
            TestResponse favorites = server.http().get("/api/favorites", user.auth());
            assertThat(favorites.status()).as("reads still work").isEqualTo(200);
            assertThat(favorites.json().path("data").path("total").asInt()).isEqualTo(filler);
            server.clock().advance(Duration.ofSeconds(2));
            TestResponse health = server.http().get("/api/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asText()).isEqualTo("degraded");
            assertThat(health.json().path("database").asText()).isEqualTo("read_only");
            assertThat(health.json().path("writable").asBoolean()).isFalse();
        }
    }

    /**
     * Makes the database full the way a full disk does for SQLite: every pooled connection gets
     * {@code max_page_count} = the current page count (the setting is per connection, so all of them are borrowed
     * at once), then market favorites of {@code userId} are added until SQLite answers SQLITE_FULL. The favorite
     * table's last pages and the last pages of its indexes are then full, so the next favorite of that user (with
     * a market id sorting after these) needs a new page and cannot get one. Returns how many favorites fit.
     * (A write that fits in an existing page, like renaming a user in place, would still succeed: SQLite only
     * reports SQLITE_FULL when it needs a page it cannot have, which is why the test adds a favorite.)
     */
    private static int fillDatabase(TestServer server, long userId) {
        List<Handle> handles = new ArrayList<>();
        try {
            for (int i = 0; i < POOL_SIZE; i++) {
                handles.add(server.jdbi().open());
            }
            long pages = handles.get(0).createQuery("PRAGMA page_count").mapTo(Long.class).one();
            for (Handle handle : handles) {
                long max = handle.createQuery("PRAGMA max_page_count = " + pages).mapTo(Long.class).one();
                assertThat(max).isEqualTo(pages);
            }
            for (int i = 0; i < 10_000; i++) {
                try {
                    handles.get(0).createUpdate("INSERT INTO user_favorites (user_id, market_id, created_at) "
                                    + "VALUES (:user, :market, '2026-11-28T12:00:00.000Z')")
                            .bind("user", userId).bind("market", String.format("aa-market-%06d", i)).execute();
                } catch (RuntimeException e) {
                    assertThat(sqliteCode(e)).as("error of the insert that no longer fits: %s", e)
                            .contains(SQLITE_FULL);
                    assertThat(i).as("favorites added before the database was full").isPositive();
                    return i;
                }
            }
            throw new AssertionError("The database never became full");
        } finally {
            handles.forEach(Handle::close);
        }
    }

    /**
     * PostgreSQL reports a full disk as SQLSTATE 53100 (disk_full) on the statement that needed the space. A
     * temporary table space cannot be filled portably from a test, so a trigger raises exactly that error for
     * every new favorite; the server sees what a full disk would make it see. Returns the favorites added (none).
     */
    private static int refuseFavoritesAsADiskFull(TestServer server) {
        server.jdbi().useHandle(h -> {
            h.execute("CREATE FUNCTION refuse_as_disk_full() RETURNS trigger AS $$ BEGIN "
                    + "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; "
                    + "END $$ LANGUAGE plpgsql");
            h.execute("CREATE TRIGGER refuse_favorites BEFORE INSERT ON user_favorites "
                    + "FOR EACH ROW EXECUTE FUNCTION refuse_as_disk_full()");
        });
        return 0;
    }

    private static Optional<Integer> sqliteCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return Optional.of(sql.getErrorCode() & 0xFF);
            }
        }
        return Optional.empty();
    }
}
