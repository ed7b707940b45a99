package com.polydebate.auth;

import com.polydebate.db.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** SQL for {@code verification_codes}. */
final class VerificationCodeDao {
    private final Handle handle;

    VerificationCodeDao(Handle handle) {
        this.handle = handle;
    }

    /** Marks every unused code of this e-mail and purpose as used, so only the newest one works. */
    void invalidateUnused(String email, CodePurpose purpose, Instant now) {
        handle.createUpdate("UPDATE verification_codes SET used_at = :now "
                        + "WHERE email = :email AND code_type = :type AND used_at IS NULL")
                .bind("now", Timestamps.format(now))
                .bind("email", email)
                .bind("type", purpose.dbValue())
                .execute();
    }

    long insert(String email, CodePurpose purpose, Long userId, String name, String codeHash, Instant expiresAt,
                Instant now, String ip) {
        return handle.createUpdate("""
                        INSERT INTO verification_codes (user_id, email, name, code_hash, code_type, expires_at,
                            created_at, ip_address)
                        VALUES (:userId, :email, :name, :hash, :type, :expiresAt, :now, :ip)""")
                .bind("userId", userId)
                .bind("email", email)
                .bind("name", name)
                .bind("hash", codeHash)
                .bind("type", purpose.dbValue())
                .bind("expiresAt", Timestamps.format(expiresAt))
                .bind("now", Timestamps.format(now))
                .bind("ip", ip)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    List<VerificationCode> unused(String email, CodePurpose purpose) {
        return handle.createQuery("SELECT id, email, name, code_hash, expires_at FROM verification_codes "
                        + "WHERE email = :email AND code_type = :type AND used_at IS NULL ORDER BY id DESC")
                .bind("email", email)
                .bind("type", purpose.dbValue())
                .map((rs, ctx) -> new VerificationCode(rs.getLong("id"), rs.getString("email"),
                        Optional.ofNullable(rs.getString("name")), rs.getString("code_hash"),
                        Timestamps.parse(rs.getString("expires_at"))))
                .list();
    }

    /** True when this call used the code (false when a concurrent verification got there first). */
    boolean markUsed(long id, Instant now) {
        return handle.createUpdate("UPDATE verification_codes SET used_at = :now WHERE id = :id AND used_at IS NULL")
                .bind("now", Timestamps.format(now))
                .bind("id", id)
                .execute() == 1;
    }
}
