package com.polydebate.storage;

import com.polydebate.config.S3Settings;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Blobs as objects of an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO), a key being the object key after
 * {@code S3_PREFIX}. A PUT replaces an object at once, so readers see the old or the new bytes, never a mix. Each
 * object keeps its content type. Every failure of the bucket surfaces as an {@link IOException}, so callers treat
 * it like a failing disk (an audio file becomes the message's {@code audio_error}). Credentials stay inside the
 * SDK's credential provider and are never part of a message.
 */
public final class S3BlobStore implements BlobStore {
    private static final Logger log = LoggerFactory.getLogger(S3BlobStore.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+)$");

    private final S3Client client;
    private final String bucket;
    private final String prefix;

    S3BlobStore(S3Client client, String bucket, String prefix) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    /**
     * The store for the configured bucket, once a HEAD of the bucket has shown that it exists and the credentials
     * may use it; otherwise {@link BlobStoreUnavailableException} saying which bucket and why.
     */
    public static S3BlobStore connect(S3Settings settings) {
        S3Client client = client(settings);
        try {
            client.headBucket(b -> b.bucket(settings.bucket()));
        } catch (SdkException e) {
            client.close();
            throw new BlobStoreUnavailableException("Cannot use the S3 " + settings.describe() + ": "
                    + reason(e) + ". Check S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_PATH_STYLE and the access key.", e);
        }
        log.info("Audio and avatars are stored in the S3 {}", settings.describe());
        return new S3BlobStore(client, settings.bucket(), settings.prefix());
    }

    static S3Client client(S3Settings settings) {
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                        settings.secretAccessKey().orElseThrow()))
                : DefaultCredentialsProvider.builder().build();
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                // Checksums only where S3 demands them: R2, MinIO and other S3-compatible stores do not all
                // understand the trailing checksums the SDK would otherwise send with every PUT.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public void put(String key, byte[] content, String contentType) throws IOException {
        String objectKey = objectKey(key);
        try {
            client.putObject(b -> b.bucket(bucket).key(objectKey).contentType(contentType),
                    RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    /**
     * A PUT with {@code If-None-Match: *}, which AWS S3, R2 and MinIO refuse (412) when the key is taken, so two
     * concurrent writers cannot both win. It is preceded by a HEAD because S3Proxy, the S3 implementation the
     * tests run against, ignores that header on PUT and would overwrite: against it (and any store like it) the
     * HEAD keeps sequential writers from overwriting, though two racing writers could then both succeed.
     */
    @Override
    public boolean putIfAbsent(String key, byte[] content, String contentType) throws IOException {
        String objectKey = objectKey(key);
        if (exists(key)) {
            return false;
        }
        try {
            client.putObject(b -> b.bucket(bucket).key(objectKey).contentType(contentType).ifNoneMatch("*"),
                    RequestBody.fromBytes(content));
            return true;
        } catch (S3Exception e) {
            // 412: the key is taken; 409: another conditional write to it is in flight, which may win.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw failure("store", key, e);
        } catch (SdkException e) {
            throw failure("store", key, e);
        }
    }

    @Override
    public Optional<Blob> open(String key, ByteRange range) throws IOException {
        String objectKey = objectKey(key);
        Optional<String> header = rangeHeader(range);
        if (range != ByteRange.ALL && header.isEmpty()) {
            return size(key).map(size -> new Blob(InputStream.nullInputStream(), Optional.empty(), size));
        }
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = client.getObject(b -> b.bucket(bucket).key(objectKey)
                    .range(range == ByteRange.ALL ? null : header.get()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            if (e.statusCode() == 416) {
                // No byte of the object is in the range; the size still has to be told.
                return size(key).map(size -> new Blob(InputStream.nullInputStream(), Optional.empty(), size));
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
        try {
            GetObjectResponse response = object.response();
            if (range == ByteRange.ALL || response.contentRange() == null) {
                // Whole object (a store may also answer a range request with all of it): cut it here.
                long size = response.contentLength();
                Optional<ByteRange.Span> span = range.within(size);
                if (span.isEmpty()) {
                    object.close();
                    return Optional.of(new Blob(InputStream.nullInputStream(), span, size));
                }
                object.skipNBytes(span.get().first());
                return Optional.of(new Blob(new BoundedInputStream(object, span.get().length()), span, size));
            }
            Matcher m = CONTENT_RANGE.matcher(response.contentRange().strip());
            if (!m.matches()) {
                throw new IOException("Unexpected Content-Range from the bucket: " + response.contentRange());
            }
            ByteRange.Span span = new ByteRange.Span(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
            return Optional.of(new Blob(object, Optional.of(span), Long.parseLong(m.group(3))));
        } catch (IOException | RuntimeException e) {
            object.abort();
            object.close();
            throw e;
        }
    }

    /** S3 cannot say whether a DELETE removed anything, so a HEAD asks first. */
    @Override
    public boolean delete(String key) throws IOException {
        String objectKey = objectKey(key);
        if (!exists(key)) {
            return false;
        }
        try {
            client.deleteObject(b -> b.bucket(bucket).key(objectKey));
            return true;
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public boolean exists(String key) throws IOException {
        return size(key).isPresent();
    }

    @Override
    public List<String> list(String folder) throws IOException {
        String objectPrefix = prefix + BlobStore.checkedPrefix(folder);
        try {
            List<String> keys = new ArrayList<>();
            client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(objectPrefix)).contents()
                    .forEach(object -> keys.add(object.key().substring(prefix.length())));
            // Objects written by other tools under the folder are not blobs of ours: only valid keys are listed.
            return keys.stream().filter(S3BlobStore::isKey).sorted().toList();
        } catch (SdkException e) {
            throw failure("list", folder, e);
        }
    }

    private static boolean isKey(String key) {
        try {
            BlobStore.checkedKey(key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private Optional<Long> size(String key) throws IOException {
        String objectKey = objectKey(key);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(objectKey));
            return Optional.of(head.contentLength());
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read", key, e);
        } catch (SdkException e) {
            throw failure("read", key, e);
        }
    }

    /** The HTTP Range of a range that can cover a byte; empty for one that covers none whatever the size. */
    static Optional<String> rangeHeader(ByteRange range) {
        if (range.within(Long.MAX_VALUE).isEmpty()) {
            return Optional.empty();
        }
        if (range instanceof ByteRange.From from) {
            return Optional.of("bytes=" + from.first() + "-");
        }
        if (range instanceof ByteRange.Between between) {
            return Optional.of("bytes=" + between.first() + "-" + between.last());
        }
        return Optional.of("bytes=-" + ((ByteRange.Last) range).length());
    }

    private String objectKey(String key) {
        return prefix + BlobStore.checkedKey(key);
    }

    private IOException failure(String action, String key, SdkException e) {
        return new IOException("Cannot " + action + " " + key + " in the S3 bucket '" + bucket + "': " + reason(e), e);
    }

    /** The status and S3 error code, or the client-side cause; SDK messages carry no credentials. */
    private static String reason(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code);
        }
        return String.valueOf(e.getMessage());
    }
}
