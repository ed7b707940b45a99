package com.polydebate.support;

import com.polydebate.App;
import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.config.Config;
import com.polydebate.config.ConfigLoader;
import com.polydebate.db.Timestamps;
import com.polydebate.debates.DebateHooks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/**
 * The real application on a random port with a fresh storage directory, a test clock and test settings.
 * Point upstream URLs at {@link FakeUpstream}s through {@link Builder#env}.
 */
public final class TestServer implements AutoCloseable {
    public static final String TEST_JWT_SECRET = "test-secret-key-that-is-long-enough-1234567890";

    private final App app;
    private final Config config;
    private final MutableClock clock;
    private final Path storage;
    private final TestHttp http;
    private final AtomicInteger newUsers = new AtomicInteger();

    private TestServer(Map<String, String> env, MutableClock clock, Path storage, DebateHooks hooks) {
        this.clock = clock;
        this.storage = storage;
        this.config = ConfigLoader.load(env, new SecureRandom());
        this.app = App.create(config, clock, new SecureRandom(), hooks).start();
        this.http = new TestHttp("http://127.0.0.1:" + app.port());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static TestServer start() {
        return builder().start();
    }

    public TestHttp http() {
        return http;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public App app() {
        return app;
    }

    public Config config() {
        return config;
    }

    public MutableClock clock() {
        return clock;
    }

    public Path storage() {
        return storage;
    }

    public Jdbi jdbi() {
        return app.database().jdbi();
    }

    /** Creates an active user and returns it with a valid token. */
    public TestUser createUser(String email, String name, boolean admin) {
        long id = jdbi().onDemand(UserDao.class)
                .insert(email, name, Timestamps.format(clock.instant()), null, admin);
        User user = jdbi().onDemand(UserDao.class).findById(id).orElseThrow();
        return new TestUser(user, app.tokens().issue(user));
    }

    public TestUser createUser(String email) {
        return createUser(email, "Test User", false);
    }

    /** A fresh active user with an address no earlier call on this server returned, for tests of own data. */
    public TestUser newUser(String name) {
        return createUser("new-user-" + newUsers.incrementAndGet() + "@example.com", name, false);
    }

    public TestUser newUser() {
        return newUser("Test User");
    }

    @Override
    public void close() {
        app.close();
    }

    /** A created user and its bearer token. */
    public record TestUser(User user, String token) {
        public long id() {
            return user.id();
        }

        public String[] auth() {
            return TestHttp.bearer(token);
        }
    }

    public static final class Builder {
        private final Map<String, String> env = new HashMap<>();
        private MutableClock clock = MutableClock.at("2026-11-28T12:00:00Z");
        private Path storage;
        private DebateHooks hooks = DebateHooks.NONE;

        private Builder() {
            env.put("PORT", "0");
            env.put("HOST", "127.0.0.1");
            env.put("APP_ENV", "development");
            env.put("JWT_SECRET_KEY", TEST_JWT_SECRET);
            env.put("EMAIL_SERVICE", "console");
            // Many servers share a test JVM: none of them asks it for full collections (IdleCollectionTest covers it).
            env.put("IDLE_GC_SECONDS", "0");
            // Upstreams default to a closed local port so that a test never reaches the internet.
            for (String name : new String[] {"OPENROUTER_API_URL", "ELEVENLABS_API_URL", "GEMINI_API_URL",
                    "POLYMARKET_GAMMA_URL", "POLYMARKET_WEB_URL", "POLYMARKET_CLOB_URL"}) {
                env.put(name, "http://127.0.0.1:9");
            }
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder clock(MutableClock clock) {
            this.clock = clock;
            return this;
        }

        public Builder hooks(DebateHooks hooks) {
            this.hooks = hooks;
            return this;
        }

        /** Reuses a storage directory (for restart tests). */
        public Builder storage(Path storage) {
            this.storage = storage;
            return this;
        }

        public TestServer start() {
            try {
                Path dir = storage != null ? storage : Files.createTempDirectory("polydebate-test");
                Map<String, String> vars = new HashMap<>(env);
                vars.put("STORAGE_DIR", dir.toString());
                // A restart on the same storage is the same instance, so it takes its crashed predecessor's debate
                // leases at once; tests of several instances on one storage name each instance themselves.
                vars.putIfAbsent("INSTANCE_ID", "test-" + dir.getFileName());
                // A DATABASE_URL set by the test (a restart on a fresh storage directory) wins over the default.
                if (!vars.containsKey("DATABASE_URL")) {
                    TestDatabases.databaseUrlFor(dir).ifPresent(url -> vars.put("DATABASE_URL", url));
                }
                return new TestServer(vars, clock, dir, hooks);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
