package dev.falgate.storage;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Our bucket: inputs, outputs and fal's raw results; presigned URLs for browsers and fal. */
public final class BlobStore {
    /** Built on first use: a function whose first request only presigns (read) never builds the S3 client at INIT. */
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;
    /** Presigned GETs without the SDK presigner, where it signs the same URL; null: the presigner signs them. */
    private GetPresigner gets;

    public BlobStore(S3Client s3, S3Presigner presigner, String bucket) {
        this(() -> s3, () -> presigner, bucket);
    }

    /** @param s3 and {@code presigner}: called on each use, so each must cache what it builds */
    public BlobStore(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.get().putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
    }

    /** What a streamed copy stored: its size and its first bytes. */
    public record Stored(long size, byte[] head) {
    }

    /**
     * Streams {@code in} into the object (multipart when large: a few 8 MiB parts uploading while
     * the next is read, at most 40 MiB held);
     * fails, leaving nothing behind, if the stream is not {@code expectedLength} bytes (-1: unknown).
     */
    public Stored putStream(String key, String contentType, java.io.InputStream in, long expectedLength, int headBytes)
            throws java.io.IOException {
        StreamingCopy.Copied c = new StreamingCopy(s3.get(), bucket, StreamingCopy.PART_SIZE)
                .copy(key, contentType, in, expectedLength, headBytes);
        return new Stored(c.size(), c.head());
    }

    public void putFile(String key, java.nio.file.Path file, String contentType) {
        s3.get().putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    public String getString(String key) {
        return s3.get().getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
    }

    /** The first {@code n} bytes of an object (all of it if shorter): enough to sniff its type. */
    public byte[] head(String key, int n) {
        return s3.get().getObjectAsBytes(r -> r.bucket(bucket).key(key).range("bytes=0-" + (n - 1))).asByteArray();
    }

    /** The object's bytes as a stream (the caller closes it). */
    public java.io.InputStream open(String key) {
        return s3.get().getObject(r -> r.bucket(bucket).key(key));
    }

    /** The object's size, or empty when it is not there (an upload never PUT). */
    public Optional<Long> size(String key) {
        try {
            HeadObjectResponse head = s3.get().headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(head.contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public void delete(String key) {
        s3.get().deleteObject(r -> r.bucket(bucket).key(key));
    }

    /** Deletes every object under {@code prefix} (a page of up to 1,000 keys per DeleteObjects call). */
    public int deletePrefix(String prefix) {
        int deleted = 0;
        for (var page : s3.get().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))) {
            List<ObjectIdentifier> keys = page.contents().stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
            if (!keys.isEmpty()) {
                s3.get().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                deleted += keys.size();
            }
        }
        return deleted;
    }

    /** The same store, its presigned GETs signed by {@code gets} (the SDK's presigner keeps the PUTs). */
    public BlobStore withGets(GetPresigner gets) {
        BlobStore copy = new BlobStore(s3, presigner, bucket);
        copy.gets = gets;
        return copy;
    }

    public URL presignGet(String key, Duration ttl) {
        if (gets != null) {
            return gets.presignGet(key, ttl, null);
        }
        return presigner.get().presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    /** A GET that saves as {@code fileName} ({@code response-content-disposition: attachment}). */
    public URL presignDownload(String key, Duration ttl, String fileName) {
        String disposition = DownloadNames.attachment(fileName);
        if (gets != null) {
            return gets.presignGet(key, ttl, disposition);
        }
        return presigner.get().presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentDisposition(disposition))).url();
    }

    /** A PUT URL bound to the content type and length: S3 refuses any other body. */
    public PresignedPut presignPut(String key, String contentType, long length, Duration ttl) {
        var presigned = presigner.get().presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType).contentLength(length)));
        return new PresignedPut(presigned.url(), Map.of("content-type", contentType));
    }

    /** A PUT URL bound to the content type only, for a client that names no size (fal's storage initiate). */
    public URL presignPut(String key, String contentType, Duration ttl) {
        return presigner.get().presignPutObject(p -> p.signatureDuration(ttl)
                .putObjectRequest(r -> r.bucket(bucket).key(key).contentType(contentType))).url();
    }

    public record PresignedPut(URL url, Map<String, String> headers) {
    }
}
