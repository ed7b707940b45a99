package com.polydebate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrations run beside the server's construction; nothing may see the schema before they finish. */
class DatabaseMigrationTest {
    @TempDir
    Path dir;

    @Test
    void a_query_taken_while_the_migrations_run_waits_for_the_schema() {
        try (Database database = Database.openMigrating(url("fresh.db"), 2, null)) {
            int users = database.jdbi().withHandle(handle ->
                    handle.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());

            assertThat(users).isZero();
            assertThat(database.isHealthy()).isTrue();
        }
    }

    @Test
    void a_failed_migration_fails_open_and_every_later_query() throws Exception {
        try (Connection foreign = DriverManager.getConnection(url("foreign.db"))) {
            foreign.createStatement().execute("CREATE TABLE users (name TEXT)");
        }

        assertThatThrownBy(() -> Database.open(url("foreign.db"), 2, null))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("schema history");

        Database migrating = Database.openMigrating(url("foreign.db"), 2, null);
        assertThatThrownBy(() -> migrating.jdbi().withHandle(handle -> handle.execute("SELECT 1")))
                .isInstanceOf(FlywayException.class);
        assertThatThrownBy(migrating::awaitMigrated).isInstanceOf(FlywayException.class);
        assertThat(migrating.isHealthy()).isFalse();
    }

    private String url(String file) {
        return "jdbc:sqlite:" + dir.resolve(file);
    }
}
