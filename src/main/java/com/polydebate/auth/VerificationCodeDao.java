package com.polydebate.auth;

import com.polydebate.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.statement.GetGeneratedKeys;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code verification_codes}; timestamps are bound as {@link Timestamps} strings. */
@RegisterRowMapper(VerificationCodeDao.CodeMapper.class)
interface VerificationCodeDao {

    /** Marks every unused code of this e-mail and purpose as used, so only the newest one works. */
    @SqlUpdate("UPDATE verification_codes SET used_at = :now "
            + "WHERE email = :email AND code_type = :type AND used_at IS NULL")
    void invalidateUnused(String email, String type, String now);

    @SqlUpdate("""
            INSERT INTO verification_codes (user_id, email, name, code_hash, code_type, expires_at, created_at,
                ip_address)
            VALUES (:userId, :email, :name, :codeHash, :type, :expiresAt, :now, :ip)""")
    @GetGeneratedKeys("id")
    long insert(Long userId, String email, String name, String codeHash, String type, String expiresAt, String now,
                String ip);

    /** The code that can still be used: issuing one invalidates the earlier ones. */
    @SqlQuery("SELECT id, email, name, code_hash, expires_at, attempts FROM verification_codes "
            + "WHERE email = :email AND code_type = :type AND used_at IS NULL ORDER BY id DESC LIMIT 1")
    Optional<VerificationCode> newestUnused(String email, String type);

    /** Counts one guess at the code; false when it already had {@code max} guesses or was used meanwhile. */
    @SqlUpdate("UPDATE verification_codes SET attempts = attempts + 1 "
            + "WHERE id = :id AND used_at IS NULL AND attempts < :max")
    boolean claimAttempt(long id, int max);

    /** True when this call used the code (false when a concurrent verification got there first). */
    @SqlUpdate("UPDATE verification_codes SET used_at = :now WHERE id = :id AND used_at IS NULL")
    boolean markUsed(long id, String now);

    final class CodeMapper implements RowMapper<VerificationCode> {
        @Override
        public VerificationCode map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new VerificationCode(rs.getLong("id"), rs.getString("email"),
                    Optional.ofNullable(rs.getString("name")), rs.getString("code_hash"),
                    Timestamps.parse(rs.getString("expires_at")), rs.getInt("attempts"));
        }
    }
}
