package com.polydebate.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.polydebate.support.TestDatabases;
import com.polydebate.support.TestServer;
import org.junit.jupiter.api.Test;

/** Says which database this run of the suite covers, and that the server really uses it. */
class DatabaseMatrixTest {

    @Test
    void the_postgresql_run_of_the_suite_is_enabled_by_the_test_database_url() {
        assumeTrue(TestDatabases.postgresUrl().isPresent(), TestDatabases.URL_VARIABLE
                + " is not set: the PostgreSQL run of the suite is skipped (SQLite only)");
    }

    @Test
    void the_server_runs_on_the_database_of_this_run_and_reports_it_in_health() {
        try (TestServer server = TestServer.start()) {
            Database.Kind expected = TestDatabases.onPostgres() ? Database.Kind.POSTGRESQL : Database.Kind.SQLITE;

            assertThat(server.app().database().kind()).isEqualTo(expected);
            assertThat(server.http().get("/api/health").json().path("database_kind").asText())
                    .isEqualTo(expected.label());
        }
    }
}
