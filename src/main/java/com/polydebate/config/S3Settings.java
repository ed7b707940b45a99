package com.polydebate.config;

import java.net.URI;
import java.util.Optional;

/**
 * The S3-compatible bucket that holds audio and avatars when {@code S3_BUCKET} is set (AWS S3, Cloudflare R2,
 * MinIO, ...). Without an access key pair the AWS SDK's default credential chain is used.
 *
 * @param endpoint {@code S3_ENDPOINT}; empty for AWS S3 itself
 * @param region {@code S3_REGION}; {@code auto} by default for R2, {@code us-east-1} otherwise
 * @param pathStyle {@code S3_PATH_STYLE}: {@code https://host/bucket/key} instead of {@code https://bucket.host/key}
 * @param prefix {@code S3_PREFIX} with its trailing '/', or "" for the bucket's root
 */
public record S3Settings(
        String bucket,
        Optional<URI> endpoint,
        String region,
        boolean pathStyle,
        Optional<String> accessKeyId,
        Optional<String> secretAccessKey,
        String prefix) {

    /** Where the blobs live, for logs and errors: never the credentials. */
    public String describe() {
        return "bucket '" + bucket + "'" + endpoint.map(e -> " at " + e).orElse("") + " (region " + region
                + (prefix.isEmpty() ? "" : ", prefix '" + prefix + "'") + ")";
    }

    /** The secret is left out, so that logging the settings cannot leak it. */
    @Override
    public String toString() {
        return "S3Settings[" + describe() + ", pathStyle=" + pathStyle + ", accessKeyId="
                + (accessKeyId.isPresent() ? "set" : "unset") + ", secretAccessKey="
                + (secretAccessKey.isPresent() ? "***" : "unset") + "]";
    }
}
