package com.polydebate.auth;

import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** SQL for {@code revoked_tokens}: signed-out token ids, kept until the token's own expiry. */
interface RevokedTokenDao {

    @SqlUpdate("INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES (:jti, :userId, :expiresAt) "
            + "ON CONFLICT (jti) DO NOTHING")
    void revoke(String jti, long userId, String expiresAt);

    /** A token past its expiry is refused by its signature check alone; its row is no longer needed. */
    @SqlUpdate("DELETE FROM revoked_tokens WHERE expires_at < :now")
    void deleteExpired(String now);
}
