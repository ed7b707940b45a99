package com.polydebate.support;

import com.polydebate.config.ConfigLoader;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which database the suite runs on. Surefire runs every test twice when {@code POLYDEBATE_TEST_DATABASE_URL}
 * names a PostgreSQL: once on SQLite files, once (system property {@code polydebate.test.database=postgresql})
 * with each server's storage directory mapped to its own fresh schema in that PostgreSQL, so that a restart test
 * reusing a storage directory also reuses its database. The schemas are dropped when the test JVM exits.
 */
public final class TestDatabases {
    public static final String URL_VARIABLE = "POLYDEBATE_TEST_DATABASE_URL";
    private static final Map<Path, String> SCHEMAS = new ConcurrentHashMap<>();
    /** Each created schema with the URL of the PostgreSQL holding it. */
    private static final Map<String, String> CREATED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestDatabases::dropAll, "drop-test-schemas"));
    }

    private TestDatabases() {
    }

    /** True in the PostgreSQL run of the suite. */
    public static boolean onPostgres() {
        return "postgresql".equals(System.getProperty("polydebate.test.database"));
    }

    /** The PostgreSQL the suite may use, as a pgjdbc URL. */
    public static Optional<String> postgresUrl() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(ConfigLoader.load(Map.of("DATABASE_URL", url.strip()), new SecureRandom()).databaseUrl());
    }

    /** The DATABASE_URL for a server on this storage directory: empty on SQLite (the default file inside it). */
    public static Optional<String> databaseUrlFor(Path storage) {
        if (!onPostgres()) {
            return Optional.empty();
        }
        String base = postgresUrl().orElseThrow(() -> new IllegalStateException(
                "The PostgreSQL run needs " + URL_VARIABLE));
        return Optional.of(SCHEMAS.computeIfAbsent(storage.toAbsolutePath().normalize(), dir -> freshSchemaUrl(base)));
    }

    /** A fresh schema in the PostgreSQL at {@code base} (a pgjdbc URL), dropped when the JVM exits, as a URL. */
    public static String freshSchemaUrl(String base) {
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + createSchema(base);
    }

    private static String createSchema(String base) {
        byte[] id = new byte[8];
        new SecureRandom().nextBytes(id);
        String schema = "pd_test_" + HexFormat.of().formatHex(id);
        execute(base, "CREATE SCHEMA " + schema);
        CREATED.put(schema, base);
        return schema;
    }

    private static void dropAll() {
        CREATED.forEach((schema, base) -> {
            try {
                execute(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (IllegalStateException e) {
                System.err.println("Could not drop test schema " + schema + ": " + e.getMessage());
            }
        });
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
