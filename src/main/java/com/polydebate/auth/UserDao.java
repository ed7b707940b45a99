package com.polydebate.auth;

import com.polydebate.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** SQL for {@code users}. Timestamps are bound as {@link Timestamps} strings. */
@RegisterRowMapper(UserDao.UserMapper.class)
public interface UserDao {

    @SqlQuery("SELECT * FROM users WHERE id = :id")
    Optional<User> findById(long id);

    /** The user of a session token, unless that token was signed out. */
    @SqlQuery("SELECT * FROM users WHERE id = :id "
            + "AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = :jti)")
    Optional<User> findBySession(long id, String jti);

    @SqlQuery("SELECT * FROM users WHERE email = :email")
    Optional<User> findByEmail(String email);

    @SqlQuery("SELECT * FROM users ORDER BY created_at DESC, id DESC")
    List<User> listNewestFirst();

    @SqlUpdate("INSERT INTO users (email, name, created_at, last_login, is_admin) "
            + "VALUES (:email, :name, :createdAt, :lastLogin, :isAdmin)")
    @GetGeneratedKeys("id")
    long insert(String email, String name, String createdAt, String lastLogin, boolean isAdmin);

    @SqlQuery("SELECT COUNT(*) FROM users")
    long count();

    @SqlUpdate("UPDATE users SET name = :name WHERE id = :id")
    int updateName(long id, String name);

    /**
     * Sets the name and/or the avatar URL (null keeps the stored value) and answers the avatar URL stored
     * before, read in the same transaction.
     */
    @Transaction
    default Optional<String> updateProfile(long id, String name, String avatarUrl) {
        Optional<String> previous = avatarUrl(id);
        updateNameAndAvatar(id, name, avatarUrl);
        return previous;
    }

    @SqlQuery("SELECT avatar_url FROM users WHERE id = :id")
    Optional<String> avatarUrl(long id);

    @SqlUpdate("UPDATE users SET name = COALESCE(:name, name), avatar_url = COALESCE(:avatarUrl, avatar_url) "
            + "WHERE id = :id")
    void updateNameAndAvatar(long id, String name, String avatarUrl);

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

    @SqlUpdate("UPDATE users SET last_login = :lastLogin WHERE id = :id")
    int updateLastLogin(long id, String lastLogin);

    @SqlUpdate("UPDATE users SET is_admin = TRUE WHERE id = :id")
    int promoteToAdmin(long id);

    @SqlUpdate("UPDATE users SET is_active = FALSE WHERE id = :id")
    int deactivate(long id);

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
