package com.polydebate.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * The SQLite database: a HikariCP pool, Flyway migrations and a JDBI handle factory.
 * Transactions begin IMMEDIATE so that a read that later writes never fails with SQLITE_BUSY
 * instead of waiting for the busy timeout.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
    }

    public static Database open(String jdbcUrl) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setPoolName("polydebate-db");
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        Properties pragmas = new Properties();
        pragmas.setProperty("foreign_keys", "true");
        pragmas.setProperty("journal_mode", "WAL");
        pragmas.setProperty("synchronous", "NORMAL");
        pragmas.setProperty("busy_timeout", "5000");
        pragmas.setProperty("transaction_mode", "IMMEDIATE");
        hikari.setDataSourceProperties(pragmas);
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("auto_id", "INTEGER PRIMARY KEY AUTOINCREMENT"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    interface Probe {
        @SqlQuery("SELECT 1")
        int one();
    }

    /** True when the database answers a trivial query. */
    public boolean isHealthy() {
        try {
            return jdbi.onDemand(Probe.class).one() == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
