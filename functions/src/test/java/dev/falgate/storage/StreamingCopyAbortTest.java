package dev.falgate.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** A multipart copy whose abort is refused (no s3:AbortMultipartUpload) still reports why the copy failed. */
class StreamingCopyAbortTest {
    @Test
    @SuppressWarnings("unchecked")
    void aRefusedAbortIsSuppressedUnderTheCopysOwnFailure() {
        S3Client s3 = mock(S3Client.class);
        S3Exception partFailed = (S3Exception) S3Exception.builder().statusCode(500).message("part failed").build();
        S3Exception abortDenied = (S3Exception) S3Exception.builder().statusCode(403).message("AccessDenied").build();
        when(s3.createMultipartUpload(any(Consumer.class)))
                .thenReturn(CreateMultipartUploadResponse.builder().uploadId("u1").build());
        when(s3.uploadPart(any(Consumer.class), any(RequestBody.class))).thenThrow(partFailed);
        when(s3.abortMultipartUpload(any(Consumer.class))).thenThrow(abortDenied);

        Throwable thrown = catchThrowable(() -> new StreamingCopy(s3, "bucket", 16)
                .copy("outputs/acme/job/x.bin", "application/octet-stream", new ByteArrayInputStream(new byte[40]), 40, 8));

        assertThat(thrown).isSameAs(partFailed);
        assertThat(thrown.getSuppressed()).containsExactly(abortDenied);
    }
}
