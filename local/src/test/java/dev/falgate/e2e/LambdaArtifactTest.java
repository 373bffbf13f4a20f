package dev.falgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The one artifact every function ships holds falgate's code and its runtime libraries, and
 * none of the emulators: DynamoDB Local's licence forbids redistributing it, and Jetty, Pekko
 * or Scala would only slow cold starts.
 */
class LambdaArtifactTest {
    public static final List<String> FORBIDDEN = List.of(
            "com/amazonaws/services/dynamodbv2/local/", // DynamoDB Local
            "com/almworks/sqlite4java/",                // its SQLite binding
            "org/eclipse/jetty/",                       // Jetty
            "org/gaul/",                                // S3Proxy (and its shaded Jetty)
            "org/apache/pekko/",                        // Pekko (ElasticMQ)
            "org/elasticmq/",                           // ElasticMQ
            "scala/",                                   // Scala runtime
            "dev/falgate/local/",                       // the local runner
            "dev/falgate/emulator/");                   // the fal emulator

    static Path lambdaJar() {
        Path root = Path.of(System.getProperty("falgate.repo.root", ".."));
        return root.resolve("functions/target/falgate-functions-0.1.0-SNAPSHOT-lambda.jar");
    }

    @Test
    void holdsTheHandlersAndCatalogButNoEmulator() throws IOException {
        Path jar = lambdaJar();
        assertThat(jar).as("build it first: mvn -pl functions -am package").exists();
        try (JarFile j = new JarFile(jar.toFile())) {
            List<String> names = Collections.list(j.entries()).stream().map(ZipEntry::getName).toList();
            assertThat(names).contains(
                    "dev/falgate/submit/SubmitHandler.class", "dev/falgate/read/ReadHandler.class",
                    "dev/falgate/callback/CallbackHandler.class", "dev/falgate/poller/PollerHandler.class",
                    "dev/falgate/poller/DeadLetterHandler.class",
                    "falgate/catalog.json", "web/index.html",
                    "software/amazon/awssdk/services/dynamodb/DynamoDbClient.class");
            for (String forbidden : FORBIDDEN) {
                assertThat(names).as("nothing under " + forbidden).noneMatch(n -> n.startsWith(forbidden));
            }
            System.out.printf("lambda artifact: %s, %.1f MiB, %d entries%n", jar.getFileName(),
                    Files.size(jar) / 1048576.0, names.size());
        }
    }
}
