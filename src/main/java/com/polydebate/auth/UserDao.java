package com.polydebate.auth;

import com.polydebate.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code users}. Timestamps are bound as {@link Timestamps} strings. */
@RegisterRowMapper(UserDao.UserMapper.class)
public interface UserDao {

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<User> findById(@Bind("id") long id);

    /** The user of a session token, unless that token was signed out. */
    @SqlQuery("SELECT * FROM users WHERE id = :id "
            + "AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = :jti)")
    Optional<User> findBySession(@Bind("id") long id, @Bind("jti") String jti);

    @SqlQuery("SELECT * FROM users WHERE email = :email")
    Optional<User> findByEmail(@Bind("email") String email);

    @SqlQuery("SELECT * FROM users ORDER BY created_at DESC, id DESC")
    List<User> listNewestFirst();

    @SqlUpdate("INSERT INTO users (email, name, created_at, last_login, is_admin) "
            + "VALUES (:email, :name, :createdAt, :lastLogin, :isAdmin)")
    @GetGeneratedKeys("id")
    long insert(@Bind("email") String email, @Bind("name") String name, @Bind("createdAt") String createdAt,
                @Bind("lastLogin") String lastLogin, @Bind("isAdmin") boolean isAdmin);

    @SqlQuery("SELECT COUNT(*) FROM debates WHERE user_id = :userId AND is_deleted = FALSE")
    int countDebates(@Bind("userId") long userId);

    @SqlUpdate("UPDATE users SET name = :name WHERE id = :id")
    int updateName(@Bind("id") long id, @Bind("name") String name);

    @SqlUpdate("UPDATE users SET last_login = :lastLogin WHERE id = :id")
    int updateLastLogin(@Bind("id") long id, @Bind("lastLogin") String lastLogin);

    @SqlUpdate("UPDATE users SET is_admin = TRUE WHERE id = :id")
    int promoteToAdmin(@Bind("id") long id);

    @SqlUpdate("UPDATE users SET is_active = FALSE WHERE id = :id")
    int deactivate(@Bind("id") long id);

    /**
     * Counts one more debate today (a UTC date) unless the user already has {@code limit}: the check and the
     * increment are one statement, so concurrent starts cannot pass the limit together.
     */
    @SqlUpdate("""
            UPDATE users
               SET daily_debate_count = CASE WHEN last_debate_date = :today THEN daily_debate_count + 1 ELSE 1 END,
                   last_debate_date   = :today
             WHERE id = :userId
               AND (last_debate_date IS NULL OR last_debate_date <> :today OR daily_debate_count < :limit)
               AND :limit > 0""")
    boolean reserveDailyDebate(long userId, String today, int limit);

    final class UserMapper implements RowMapper<User> {
        @Override
        public User map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new User(
                    rs.getLong("id"),
                    rs.getString("email"),
                    rs.getString("name"),
                    Timestamps.parse(rs.getString("created_at")),
                    Optional.ofNullable(rs.getString("last_login")).map(Timestamps::parse),
                    rs.getBoolean("is_active"),
                    rs.getBoolean("is_admin"),
                    Optional.ofNullable(rs.getString("avatar_url")),
                    rs.getInt("tokens_remaining"),
                    rs.getInt("daily_debate_count"),
                    Optional.ofNullable(rs.getString("last_debate_date")));
        }
    }
}
