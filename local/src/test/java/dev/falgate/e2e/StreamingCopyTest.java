package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.config.AwsClients;
import dev.falgate.config.Settings;
import dev.falgate.storage.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Output copies stream through S3 multipart, one part in memory; a short read leaves nothing. */
class StreamingCopyTest {
    private final TestStack t = TestStack.get();
    private final PipelineTest flows = new PipelineTest();

    private BlobStore blobs() {
        Settings settings = new Settings(t.stack.environment("PollerFunction"));
        AwsClients aws = new AwsClients(settings);
        return new BlobStore(aws.s3(), aws.presigner(), settings.filesBucket());
    }

    @Test
    void aLargeStreamIsStoredByMultipartUploadByteForByte() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024 + 123]; // three parts of 8 MiB
        new Random(7).nextBytes(data);
        BlobStore.Stored stored = blobs().putStream("test/streamed.glb", "model/gltf-binary",
                new ByteArrayInputStream(data), data.length, 16);
        assertThat(stored.size()).isEqualTo(data.length);
        assertThat(stored.head()).hasSize(16);
        byte[] back = t.stack.s3().getObjectAsBytes(g -> g.bucket(flows.bucket()).key("test/streamed.glb")).asByteArray();
        assertThat(sha256(back)).isEqualTo(sha256(data));
        assertThat(t.stack.s3().headObject(h -> h.bucket(flows.bucket()).key("test/streamed.glb")).contentType())
                .isEqualTo("model/gltf-binary");
    }

    @Test
    void aShortReadFailsAndAbortsTheMultipartUpload() {
        byte[] data = new byte[9 * 1024 * 1024];
        assertThatThrownBy(() -> blobs().putStream("test/short.glb", "model/gltf-binary",
                new ByteArrayInputStream(data), data.length + 1000, 16))
                .isInstanceOf(IOException.class).hasMessageContaining("short read");
        assertThat(t.stack.s3().listMultipartUploads(l -> l.bucket(flows.bucket())).uploads()).isEmpty();
        assertThat(t.stack.s3().listObjectsV2(l -> l.bucket(flows.bucket()).prefix("test/short")).contents()).isEmpty();
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
