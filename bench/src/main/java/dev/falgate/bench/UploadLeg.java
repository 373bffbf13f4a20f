package dev.falgate.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The copy's upload leg alone: a plain parallel multipart upload of the same bytes (generated in
 * memory, no network source) with the same part size and parts in flight, written here with the
 * SDK's calls directly rather than through falgate's code. The object is deleted afterwards.
 */
final class UploadLeg {
    private UploadLeg() {
    }

    /** Seconds to upload {@code size} bytes as {@code partSize} parts, {@code inFlight} at once. */
    static double run(S3Client s3, String bucket, String key, long size, int partSize, int inFlight) throws Exception {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(inFlight + 1);
        for (int i = 0; i <= inFlight; i++) {
            free.add(new byte[partSize]);
        }
        ExecutorService threads = Executors.newFixedThreadPool(inFlight);
        long t0 = System.nanoTime();
        try (InputStream in = new GlbSource(size)) {
            String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
            List<Future<CompletedPart>> parts = new ArrayList<>();
            for (int number = 1; ; number++) {
                byte[] buffer = free.take();
                int length = in.readNBytes(buffer, 0, partSize);
                if (length == 0) {
                    break;
                }
                int n = number;
                parts.add(threads.submit(() -> {
                    try {
                        String etag = s3.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId).partNumber(n),
                                RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length),
                                        length, "application/octet-stream")).eTag();
                        return CompletedPart.builder().partNumber(n).eTag(etag).build();
                    } finally {
                        free.add(buffer);
                    }
                }));
            }
            List<CompletedPart> done = new ArrayList<>();
            for (Future<CompletedPart> f : parts) {
                done.add(f.get());
            }
            s3.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(done)));
        } finally {
            threads.shutdownNow();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        s3.deleteObject(r -> r.bucket(bucket).key(key));
        return seconds;
    }
}
