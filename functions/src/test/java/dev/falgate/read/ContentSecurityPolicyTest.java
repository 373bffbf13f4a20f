package dev.falgate.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The bucket origin comes from the same presigner that signs the page's file URLs. */
class ContentSecurityPolicyTest {
    @Test
    void onAwsTheOriginIsTheBucketsVirtualHost() throws Exception {
        URL url = presign(S3Presigner.builder().region(Region.EU_WEST_1));
        assertThat(ContentSecurityPolicy.origin(url)).isEqualTo("https://falgate-files.s3.eu-west-1.amazonaws.com");
    }

    @Test
    void locallyTheOriginIsThePathStyleEndpointWithItsPort() throws Exception {
        URL url = presign(S3Presigner.builder().region(Region.US_EAST_1)
                .endpointOverride(URI.create("http://127.0.0.1:9000"))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        assertThat(ContentSecurityPolicy.origin(url)).isEqualTo("http://127.0.0.1:9000");
        assertThat(ContentSecurityPolicy.origin(new URL("https://files.example.com:443/x?y"))).isEqualTo("https://files.example.com");
    }

    @Test
    void thePolicyNamesTheBucketWhereFilesLoadAndNothingElseForeign() {
        String csp = ContentSecurityPolicy.header("https://b.s3.eu-west-1.amazonaws.com", false);
        assertThat(csp.split("; ")).contains("default-src 'self'", "script-src 'self'",
                "img-src 'self' https://b.s3.eu-west-1.amazonaws.com blob: data:",
                "media-src 'self' https://b.s3.eu-west-1.amazonaws.com",
                "connect-src 'self' https://b.s3.eu-west-1.amazonaws.com blob: data:",
                "worker-src 'self' blob:", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(csp).doesNotContain("https:;").doesNotContain("http:").doesNotContain("unsafe");
        assertThat(ContentSecurityPolicy.header(null, true)).contains("script-src 'self' 'wasm-unsafe-eval';")
                .contains("img-src 'self' blob: data:;");
    }

    private static URL presign(S3Presigner.Builder builder) {
        try (S3Presigner presigner = builder.credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"))).build()) {
            return presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                    .getObjectRequest(g -> g.bucket("falgate-files").key("k"))).url();
        }
    }
}
