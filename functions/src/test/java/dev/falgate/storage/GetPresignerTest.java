package dev.falgate.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The hand-signed GET is the SDK presigner's URL, character for character; other addressing stays with the SDK. */
class GetPresignerTest {
    private static final List<String> KEYS = List.of("outputs/job_01/images-0.png", "uploads/t/a b/ü+~=%&?#.png",
            "outputs/j/model_mesh.glb", "results/j/raw.json", "outputs/j/x!*'()[]{};:@$,.webp");
    private static final List<String> DISPOSITIONS = List.of("attachment; filename=\"a b.png\"; filename*=UTF-8''%C3%BC.png",
            "attachment; filename=\"model.glb\"");
    private static final List<AwsCredentials> CREDENTIALS = List.of(AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG"),
            AwsSessionCredentials.create("ASIAEXAMPLE", "secret+/=", "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+/="));

    @ParameterizedTest
    @CsvSource({
        "us-east-1, falgate-filesbucket-1a2b3c, , false",
        "eu-west-1, falgate-filesbucket-1a2b3c, , false",
        "ap-southeast-2, files-1, , false",
        "us-east-1, falgate-files, http://127.0.0.1:9000, true",
        "eu-central-1, falgate-files, http://localhost:4566, true",
        "us-east-1, my.dotted.bucket, http://127.0.0.1:9000, true",
    })
    void signsTheUrlTheSdkPresignerSigns(String region, String bucket, String endpoint, boolean pathStyle) {
        for (AwsCredentials credentials : CREDENTIALS) {
            S3Presigner.Builder sdk = S3Presigner.builder().region(Region.of(region))
                    .credentialsProvider(StaticCredentialsProvider.create(credentials))
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
            Optional<URI> override = Optional.ofNullable(endpoint).map(URI::create);
            override.ifPresent(sdk::endpointOverride);
            try (S3Presigner presigner = sdk.build()) {
                for (String key : KEYS) {
                    for (String disposition : new String[] {null, DISPOSITIONS.get(0), DISPOSITIONS.get(1)}) {
                        String expected = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofHours(1))
                                .getObjectRequest(g -> g.bucket(bucket).key(key).responseContentDisposition(disposition)))
                                .url().toString();
                        GetPresigner mine = GetPresigner.forBucket(() -> credentials, region, override, pathStyle, bucket,
                                Map.of(), Clock.fixed(signedAt(expected), ZoneOffset.UTC)).orElseThrow();
                        assertThat(mine.presignGet(key, Duration.ofHours(1), disposition)).hasToString(expected);
                    }
                }
            }
        }
    }

    @Test
    void leavesOtherAddressingToTheSdk() {
        AwsCredentials c = CREDENTIALS.get(0);
        Optional<URI> local = Optional.of(URI.create("http://127.0.0.1:9000"));
        assertThat(GetPresigner.forBucket(() -> c, "us-east-1", Optional.empty(), false, "my.bucket", Map.of(), Clock.systemUTC()))
                .as("dots: path style on AWS").isEmpty();
        assertThat(GetPresigner.forBucket(() -> c, "us-east-1", Optional.empty(), true, "files", Map.of(), Clock.systemUTC()))
                .as("path style on AWS").isEmpty();
        assertThat(GetPresigner.forBucket(() -> c, "us-east-1", local, false, "files", Map.of(), Clock.systemUTC()))
                .as("virtual hosts under an override").isEmpty();
        assertThat(GetPresigner.forBucket(() -> c, "cn-north-1", Optional.empty(), false, "files", Map.of(), Clock.systemUTC()))
                .as("another partition").isEmpty();
        assertThat(GetPresigner.forBucket(() -> c, "us-east-1", Optional.empty(), false, "files",
                Map.of("AWS_USE_FIPS_ENDPOINT", "true"), Clock.systemUTC())).as("FIPS").isEmpty();
        assertThat(GetPresigner.forBucket(() -> c, "us-east-1", Optional.of(URI.create("http://127.0.0.1:9000/base")), true,
                "files", Map.of(), Clock.systemUTC())).as("an override with a path").isEmpty();
    }

    private static Instant signedAt(String url) {
        String stamp = url.replaceAll(".*X-Amz-Date=([0-9TZ]+).*", "$1");
        return DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).parse(stamp, Instant::from);
    }
}
