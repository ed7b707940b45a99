package com.polydebate.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.jdbi.v3.core.mapper.ColumnMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Fixed-width ISO-8601 UTC timestamps with millisecond precision ("2025-11-15T12:00:00.123Z"), used both
 * in the database and on the wire, so that string order equals time order.
 */
public final class Timestamps {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }

    public static Instant parse(String text) {
        return Instant.parse(text);
    }

    /**
     * Reads a stored timestamp column as an {@link Instant} (SQL NULL as null); register it on a DAO whose
     * records have Instant components, since the driver's own timestamp parsing does not know this format.
     */
    public static final class Column implements ColumnMapper<Instant> {
        @Override
        public Instant map(ResultSet rs, int column, StatementContext ctx) throws SQLException {
            String text = rs.getString(column);
            return text == null ? null : parse(text);
        }
    }
}
