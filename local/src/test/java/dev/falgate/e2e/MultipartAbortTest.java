package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.falgate.Services;
import dev.falgate.config.InvocationScope;
import dev.falgate.jobs.JobFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * FinishFunction's copy of an output larger than one part, failing midway: its multipart upload
 * is aborted (FinishFunction's role allows s3:AbortMultipartUpload on outputs/*) and the copy's
 * own error is what the finisher sees. Run in FinishFunction's invocation scope with its
 * environment, through the function's own services, because every emulator output fits in one
 * part; LeastPrivilegeTest checks the abort against the role from this run.
 */
class MultipartAbortTest {
    private static final int LARGER_THAN_A_PART = 9 * 1024 * 1024;

    private final TestStack t = TestStack.get();

    @Test
    void aLargeOutputCopyCutShortIsAbortedWithTheFinishFunctionsRights() {
        Services finish = new Services(t.stack.environment("FinishFunction"));
        String prefix = JobFiles.outputPrefix("acme", "job_multipart_abort");
        Throwable thrown = catchThrowable(() -> InvocationScope.run("FinishFunction", () -> finish.blobs()
                .putStream(prefix + "model.glb", "model/gltf-binary",
                        new ByteArrayInputStream(new byte[LARGER_THAN_A_PART]), LARGER_THAN_A_PART + 1L, 16)));

        assertThat(thrown).isInstanceOf(IOException.class).hasMessageContaining("short read");
        String bucket = finish.settings().filesBucket();
        assertThat(t.stack.s3().listMultipartUploads(l -> l.bucket(bucket).prefix(prefix)).uploads()).isEmpty();
        assertThat(t.stack.s3().listObjectsV2(l -> l.bucket(bucket).prefix(prefix)).contents()).isEmpty();
    }
}
