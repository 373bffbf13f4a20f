package dev.falgate.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies a stream of unknown or large size into S3 in bounded memory: a single PUT when it fits
 * in one part, otherwise a multipart upload whose parts go out on a few threads while the next
 * part is read, from a fixed pool of reused buffers (no part is copied on the way). Any failure
 * aborts the upload, so no orphaned parts are left behind. A stream shorter than its announced
 * length is refused.
 */
final class StreamingCopy {
    /** S3's minimum part size is 5 MiB; 8 MiB keeps memory small and the part count low (1 GiB = 128 parts). */
    static final int PART_SIZE = 8 * 1024 * 1024;
    /**
     * Parts uploading at once while one more is read: the download and the uploads overlap, and
     * the copy holds at most 5 × 8 MiB. Uploads wait on the network, not the CPU, so 4 suits
     * Lambda's 1–2 vCPUs.
     */
    static final int PARTS_IN_FLIGHT = 4;

    record Copied(long size, byte[] head) {
    }

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int partsInFlight;

    StreamingCopy(S3Client s3, String bucket, int partSize) {
        this(s3, bucket, partSize, PARTS_IN_FLIGHT);
    }

    StreamingCopy(S3Client s3, String bucket, int partSize, int partsInFlight) {
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
    }

    /**
     * @param expectedLength the length the source announced, or -1; a mismatch fails the copy
     * @param headBytes how many leading bytes to return (to sniff the type and dimensions)
     */
    Copied copy(String key, String contentType, InputStream in, long expectedLength, int headBytes) throws IOException {
        PartUploads.Part first = firstPart(in, expectedLength);
        byte[] head = Arrays.copyOf(first.buffer(), Math.min(first.length(), headBytes));
        if (first.length() < partSize) {
            checkLength(first.length(), expectedLength);
            s3.putObject(r -> r.bucket(bucket).key(key).contentType(contentType), first.body(contentType));
            return new Copied(first.length(), head);
        }
        String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key).contentType(contentType)).uploadId();
        PartBuffers buffers = new PartBuffers(partSize, partsInFlight + 1);
        buffers.adopt();
        try (PartUploads uploads = new PartUploads(s3, bucket, key, uploadId, buffers, partsInFlight)) {
            try {
                long size = sendParts(first, in, expectedLength, buffers, uploads);
                List<CompletedPart> parts = uploads.awaitAll();
                checkLength(size, expectedLength);
                s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
                return new Copied(size, head);
            } catch (IOException | RuntimeException e) {
                uploads.drainAfter(e);
                abort(key, uploadId, e);
                throw e;
            }
        }
    }

    /**
     * The first part, read into a buffer no larger than the announced length needs (a small
     * image does not cost a part-sized buffer); one byte more than announced shows a longer stream.
     */
    private PartUploads.Part firstPart(InputStream in, long expectedLength) throws IOException {
        if (expectedLength < 0) {
            byte[] read = in.readNBytes(partSize);
            return new PartUploads.Part(1, read, read.length);
        }
        byte[] buffer = new byte[(int) Math.min(partSize, expectedLength + 1)];
        return new PartUploads.Part(1, buffer, in.readNBytes(buffer, 0, buffer.length));
    }

    /**
     * Reads part after part into pooled buffers and hands each to the uploads; the bytes read.
     * Stops as soon as the stream runs past its announced length (a source that never ends).
     */
    private long sendParts(PartUploads.Part first, InputStream in, long expectedLength, PartBuffers buffers,
            PartUploads uploads) throws IOException {
        uploads.send(first);
        long size = first.length();
        for (int number = 2, length = first.length(); length == partSize; number++) {
            uploads.throwIfFailed();
            byte[] buffer = buffers.take();
            length = in.readNBytes(buffer, 0, partSize);
            if (length == 0) {
                buffers.give(buffer);
                break;
            }
            uploads.send(new PartUploads.Part(number, buffer, length));
            size += length;
            if (expectedLength >= 0 && size > expectedLength) {
                checkLength(size, expectedLength);
            }
        }
        return size;
    }

    /** A failed abort (e.g. AccessDenied) must not hide why the copy failed; the bucket's lifecycle rule cleans up. */
    private void abort(String key, String uploadId, Exception failure) {
        try {
            s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException abortFailed) {
            failure.addSuppressed(abortFailed);
        }
    }

    private static void checkLength(long copied, long expected) throws IOException {
        if (expected >= 0 && copied != expected) {
            throw new IOException((copied < expected ? "short read: " : "long read: ") + copied + " of " + expected + " bytes");
        }
    }
}
