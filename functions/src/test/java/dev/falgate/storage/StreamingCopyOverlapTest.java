package dev.falgate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The multipart copy's concurrency and bookkeeping (S3 mocked: only the calls and their order
 * matter here; the bytes reaching a real S3 are checked by the e2e StreamingCopyTest).
 */
class StreamingCopyOverlapTest {
    private static final int PART = 16;
    private final S3Client s3 = mock(S3Client.class);

    @Test
    @SuppressWarnings("unchecked")
    void partsUploadTogetherWhileTheSourceIsStillBeingRead() throws Exception {
        CountDownLatch fourInFlight = new CountDownLatch(4);
        List<Integer> parts = multipartUploads(request -> {
            fourInFlight.countDown();
            // each of the first four parts returns only once all four are in flight at once
            if (request.partNumber() <= 4 && !fourInFlight.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("parts were not uploaded in parallel");
            }
        });

        StreamingCopy.Copied copied = new StreamingCopy(s3, "bucket", PART, 4)
                .copy("k", "model/gltf-binary", new ByteArrayInputStream(bytes(10 * PART + 3)), 10 * PART + 3, 4);

        assertThat(copied.size()).isEqualTo(10 * PART + 3);
        assertThat(copied.head()).containsExactly(0, 1, 2, 3);
        assertThat(completedPartNumbers()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(parts).hasSize(11);
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachPartCarriesItsOwnBytesInOrder() throws Exception {
        byte[] data = bytes(20 * PART + 5);
        List<byte[]> bodies = new ArrayList<>(java.util.Collections.nCopies(21, (byte[]) null));
        multipartUploads(request -> { });
        when(s3.uploadPart(any(Consumer.class), any(RequestBody.class))).thenAnswer(inv -> {
            UploadPartRequest.Builder b = UploadPartRequest.builder();
            ((Consumer<UploadPartRequest.Builder>) inv.getArgument(0)).accept(b);
            try (InputStream in = ((RequestBody) inv.getArgument(1)).contentStreamProvider().newStream()) {
                bodies.set(b.build().partNumber() - 1, in.readAllBytes());
            }
            return UploadPartResponse.builder().eTag("e" + b.build().partNumber()).build();
        });

        new StreamingCopy(s3, "bucket", PART, 4).copy("k", "x", new ByteArrayInputStream(data), data.length, 4);

        byte[] joined = new byte[0];
        for (byte[] body : bodies) {
            joined = concat(joined, body);
        }
        assertThat(joined).isEqualTo(data);
    }

    @Test
    void thePoolHandsOutAtMostItsCountOfBuffersThenReusesReturnedOnes() throws Exception {
        PartBuffers pool = new PartBuffers(PART, 5);
        Set<byte[]> taken = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            held.add(pool.take());
            taken.add(held.get(i));
        }
        pool.give(held.get(2));

        assertThat(taken).hasSize(5);
        assertThat(pool.take()).isSameAs(held.get(2));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSourceFailingMidwayAbortsTheUploadAndRethrowsTheSourcesError() {
        multipartUploads(request -> { });
        IOException broken = new IOException("connection reset by the CDN");
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ >= 3 * PART) {
                    throw broken;
                }
                return 0;
            }
        };

        Throwable thrown = catchThrowable(() -> new StreamingCopy(s3, "bucket", PART, 4)
                .copy("k", "x", failing, -1, 4));

        assertThat(thrown).isSameAs(broken);
        verify(s3).abortMultipartUpload(any(Consumer.class));
        verify(s3, never()).completeMultipartUpload(any(Consumer.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFileSmallerThanOnePartIsOnePutObjectWithABufferOfItsOwnSize() throws Exception {
        byte[] data = bytes(PART - 1);
        ArgumentCaptor<RequestBody> body = ArgumentCaptor.forClass(RequestBody.class);

        StreamingCopy.Copied copied = new StreamingCopy(s3, "bucket", PART, 4)
                .copy("k", "image/png", new ByteArrayInputStream(data), data.length, 64);

        verify(s3).putObject(any(Consumer.class), body.capture());
        verify(s3, never()).createMultipartUpload(any(Consumer.class));
        try (InputStream in = body.getValue().contentStreamProvider().newStream()) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(copied.head()).isEqualTo(data);
    }

    @Test
    void aStreamLongerThanAnnouncedIsRefusedBeforeAnythingIsStored() {
        Throwable thrown = catchThrowable(() -> new StreamingCopy(s3, "bucket", PART, 4)
                .copy("k", "image/png", new ByteArrayInputStream(bytes(10)), 5, 4));

        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("long read");
        verify(s3, never()).putObject(any(PutObjectRequest.class), any(RequestBody.class));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSourceRunningPastItsAnnouncedLengthStopsBeingReadAndIsAborted() {
        multipartUploads(request -> { });
        InputStream endless = new InputStream() {
            private long served;

            @Override
            public int read() {
                served++;
                return 1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (served > 100L * PART) {
                    throw new AssertionError("read on long after the announced length");
                }
                served += len;
                return len;
            }
        };

        Throwable thrown = catchThrowable(() -> new StreamingCopy(s3, "bucket", PART, 4)
                .copy("k", "x", endless, 3 * PART, 4));

        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("long read");
        verify(s3).abortMultipartUpload(any(Consumer.class));
        verify(s3, never()).completeMultipartUpload(any(Consumer.class));
    }

    interface PartHook {
        void onPart(UploadPartRequest request) throws Exception;
    }

    @SuppressWarnings("unchecked")
    private List<Integer> multipartUploads(PartHook hook) {
        List<Integer> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        when(s3.createMultipartUpload(any(Consumer.class)))
                .thenReturn(CreateMultipartUploadResponse.builder().uploadId("u1").build());
        when(s3.completeMultipartUpload(any(Consumer.class))).thenReturn(CompleteMultipartUploadResponse.builder().build());
        when(s3.uploadPart(any(Consumer.class), any(RequestBody.class))).thenAnswer(inv -> {
            UploadPartRequest.Builder b = UploadPartRequest.builder();
            ((Consumer<UploadPartRequest.Builder>) inv.getArgument(0)).accept(b);
            UploadPartRequest request = b.build();
            seen.add(request.partNumber());
            hook.onPart(request);
            return UploadPartResponse.builder().eTag("e" + request.partNumber()).build();
        });
        return seen;
    }

    @SuppressWarnings("unchecked")
    private List<Integer> completedPartNumbers() {
        ArgumentCaptor<Consumer<CompleteMultipartUploadRequest.Builder>> c = ArgumentCaptor.forClass(Consumer.class);
        verify(s3).completeMultipartUpload(c.capture());
        CompleteMultipartUploadRequest.Builder b = CompleteMultipartUploadRequest.builder();
        c.getValue().accept(b);
        return b.build().multipartUpload().parts().stream().map(CompletedPart::partNumber).toList();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
