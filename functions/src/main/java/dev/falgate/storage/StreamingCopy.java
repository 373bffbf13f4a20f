package dev.falgate.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies a stream of unknown or large size into S3 holding one part in memory at a time: a
 * single PUT when it fits in one part, a multipart upload otherwise, aborted on any failure so
 * no orphaned parts are left behind. A stream shorter than its announced length is refused.
 */
final class StreamingCopy {
    /** S3's minimum part size is 5 MiB; 8 MiB keeps memory small and the part count low (1 GiB = 128 parts). */
    static final int PART_SIZE = 8 * 1024 * 1024;

    record Copied(long size, byte[] head) {
    }

    private final S3Client s3;
    private final String bucket;
    private final int partSize;

    StreamingCopy(S3Client s3, String bucket, int partSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
    }

    /**
     * @param expectedLength the length the source announced, or -1; a mismatch fails the copy
     * @param headBytes how many leading bytes to return (to sniff the type and dimensions)
     */
    Copied copy(String key, String contentType, InputStream in, long expectedLength, int headBytes) throws IOException {
        byte[] first = readPart(in);
        byte[] head = Arrays.copyOf(first, Math.min(first.length, headBytes));
        if (first.length < partSize) {
            checkLength(first.length, expectedLength);
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(first));
            return new Copied(first.length, head);
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
        try {
            long size = uploadParts(key, uploadId, first, in, expectedLength);
            return new Copied(size, head);
        } catch (IOException | RuntimeException e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    /** A failed abort (e.g. AccessDenied) must not hide why the copy failed; the bucket's lifecycle rule cleans up. */
    private void abort(String key, String uploadId, Exception failure) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException abortFailed) {
            failure.addSuppressed(abortFailed);
        }
    }

    private long uploadParts(String key, String uploadId, byte[] first, InputStream in, long expectedLength)
            throws IOException {
        List<CompletedPart> parts = new ArrayList<>();
        long size = 0;
        for (byte[] part = first; part.length > 0; part = readPart(in)) {
            int number = parts.size() + 1;
            byte[] body = part;
            String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength((long) body.length), RequestBody.fromBytes(body)).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            size += part.length;
            if (part.length < partSize) {
                break;
            }
        }
        checkLength(size, expectedLength);
        s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
        return size;
    }

    private byte[] readPart(InputStream in) throws IOException {
        return in.readNBytes(partSize);
    }

    private static void checkLength(long copied, long expected) throws IOException {
        if (expected >= 0 && copied != expected) {
            throw new IOException("short read: " + copied + " of " + expected + " bytes");
        }
    }
}
