package com.polydebate.debates;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Database;
import com.polydebate.db.DebateChanges;
import com.polydebate.db.StorageHealth;
import com.polydebate.http.HttpSetup;
import com.polydebate.http.Json;
import com.polydebate.http.RequestMetrics;
import com.polydebate.storage.FileSystemBlobStore;
import com.polydebate.support.TestDebates;
import com.polydebate.upstream.Sleeper;
import com.polydebate.upstream.UpstreamHttp;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keep-alive interval is 15 s in the app; here the feature is built with a short one to observe it. */
class KeepAliveTest {
    @TempDir
    Path storage;

    @Test
    void an_open_stream_receives_keepalive_comments_at_the_configured_interval() throws Exception {
        Config config = ConfigLoader.load(Map.of("STORAGE_DIR", storage.toString(), "APP_ENV", "development",
                "JWT_SECRET_KEY", "test-secret-key-that-is-long-enough-1234567890"), new SecureRandom());
        Clock clock = Clock.systemUTC();
        ObjectMapper mapper = Json.newMapper();
        try (Database database = Database.open(config.databaseUrl());
             DebateFeature feature = new DebateFeature(config, clock, mapper, database.jdbi(),
                     new UpstreamHttp(UpstreamHttp.newClient(Duration.ofSeconds(5))), marketId -> {
                         throw new IllegalStateException("not used");
                     }, List::of, new DailyQuota(config, clock), debateId -> { }, DebateHooks.NONE,
                     new FileSystemBlobStore(storage), new SecureRandom(), Sleeper.REAL,
                     Duration.ofMillis(150), ModelCallMetrics.NONE,
                     new DebateChanges(Database.Kind.of(config.databaseUrl()), config.instanceId()))) {
            Javalin app = Javalin.create(cfg -> {
                cfg.jsonMapper(new JavalinJackson(mapper, false));
                new HttpSetup(config, clock, new StorageHealth(storage, clock), mapper, RequestMetrics.NONE,
                        new SecureRandom()).apply(cfg);
                feature.register(cfg.routes);
            }).start("127.0.0.1", 0);
            try {
                String id = TestDebates.debate(database.jdbi(), null).status("in_progress").completedAt(null).insert();
                List<String> lines = readFor(URI.create("http://127.0.0.1:" + app.port() + "/api/debate/" + id + "/stream"),
                        Duration.ofMillis(800));

                assertThat(lines.get(0)).isEqualTo("retry: 3000");
                assertThat(lines.stream().filter(": keepalive"::equals).count()).isGreaterThanOrEqualTo(3);
                assertThat(lines).noneMatch(l -> l.startsWith("id: "));
            } finally {
                app.stop();
            }
        }
    }

    private static List<String> readFor(URI uri, Duration duration) throws Exception {
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // closed below
            }
        });
        reader.start();
        Thread.sleep(duration.toMillis());
        response.body().close();
        reader.join(2000);
        return lines;
    }
}
