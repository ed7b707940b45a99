package com.polydebate.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.polydebate.auth.User;
import com.polydebate.auth.UserDao;
import com.polydebate.auth.UserView;
import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The read-only queries of the admin pages (§17.2, §17.4, §17.5). */
final class AdminDao {
    private final Handle handle;

    AdminDao(Handle handle) {
        this.handle = handle;
    }

    /** Every user, newest first, with the live count of their non-deleted debates. */
    List<UserView> usersNewestFirst() {
        UserDao.UserMapper users = new UserDao.UserMapper();
        return handle.createQuery("""
                        SELECT u.*,
                               (SELECT COUNT(*) FROM debates d
                                 WHERE d.user_id = u.id AND d.is_deleted = FALSE) AS total_debates
                          FROM users u
                         ORDER BY u.created_at DESC, u.id DESC""")
                .map((rs, ctx) -> {
                    User user = users.map(rs, ctx);
                    return UserView.of(user, rs.getInt("total_debates"));
                })
                .list();
    }

    List<AdminDebate> newestDebates(int limit) {
        return handle.createQuery("""
                        SELECT debate_id, market_id, market_question, user_id, status, is_deleted, created_at
                          FROM debates
                         ORDER BY created_at DESC, debate_id DESC
                         LIMIT :limit""")
                .bind("limit", limit)
                .map((rs, ctx) -> {
                    long userId = rs.getLong("user_id");
                    Long owner = rs.wasNull() ? null : userId;
                    String id = rs.getString("debate_id");
                    return new AdminDebate(id, id, rs.getString("market_id"), rs.getString("market_question"), owner,
                            rs.getString("status"), rs.getBoolean("is_deleted"),
                            Timestamps.parse(rs.getString("created_at")));
                })
                .list();
    }

    Analytics analytics(Instant now) {
        long users = count("SELECT COUNT(*) FROM users");
        long debates = count("SELECT COUNT(*) FROM debates");
        long messages = count("SELECT COUNT(*) FROM messages");
        long recent = handle.createQuery("SELECT COUNT(*) FROM debates WHERE created_at >= :since")
                .bind("since", Timestamps.format(now.minusSeconds(24 * 3600)))
                .mapTo(Long.class)
                .one();
        return new Analytics(users, debates, messages, recent);
    }

    private long count(String sql) {
        return handle.createQuery(sql).mapTo(Long.class).one();
    }

    /** An item of GET /api/admin/debates; {@code id} repeats the debate id because the page links by it. */
    record AdminDebate(String id, String debateId, String slug, String title, Long userId, String status,
                       boolean isDeleted, Instant createdAt) {
    }

    record Analytics(long totalUsers, long totalDebates, long totalMessages,
                     @JsonProperty("recent_debates_24h") long recentDebates24h) {
    }
}
