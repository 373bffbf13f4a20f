package dev.falgate.local.emulators;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB Local in server mode (real HTTP protocol). {@code -sharedDb}: every credential and
 * region sees the same tables. With a data directory the tables persist in an SQLite file there.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    private static final int ATTEMPTS_ON_RANDOM_PORT = 3;

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private DynamoDbEmulator(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    /** Port 0: a free one (DynamoDB Local itself rejects 0). {@code dataDir} null: in memory. */
    public static DynamoDbEmulator start(int port, Path dataDir) {
        int attempts = port == 0 ? ATTEMPTS_ON_RANDOM_PORT : 1;
        for (int attempt = 1; ; attempt++) {
            int chosen = port == 0 ? Ports.freePort() : port;
            try {
                DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(arguments(chosen, dataDir));
                server.start();
                return new DynamoDbEmulator(server, chosen);
            } catch (Exception e) {
                if (attempt >= attempts) { // a random port can be taken between picking and binding
                    throw new EmulatorException("DynamoDB Local did not start on port " + chosen, e);
                }
            }
        }
    }

    private static String[] arguments(int port, Path dataDir) {
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb",
                "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            createDirectories(dataDir);
            args.addAll(List.of("-dbPath", dataDir.toAbsolutePath().toString()));
        }
        return args.toArray(String[]::new);
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new EmulatorException("DynamoDB Local did not stop", e);
        }
    }
}
