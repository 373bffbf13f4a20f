package dev.falgate.local.emulators;

import com.amazonaws.services.dynamodbv2.exceptions.DynamoDBLocalServiceException;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;

/**
 * DynamoDB Local (real HTTP protocol) on a loopback socket. Its own server ({@code ServerRunner},
 * {@code DynamoDBProxyServer}) listens on every interface and has no option to bind one, so its
 * request handler runs here in a Jetty server of ours that listens on 127.0.0.1 only. Shared
 * database ({@code -sharedDb}): every credential and region sees the same tables. With a data
 * directory the tables persist in an SQLite file there. Its telemetry is set up only by
 * {@code ServerRunner}, so none is sent from here.
 */
public final class DynamoDbEmulator implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    /** DynamoDBRequestHandler's first argument, as ServerRunner passes it. */
    private static final int HANDLER_ID = 0;

    private final Server server;
    private final LocalDynamoDBServerHandler handler;
    private final URI endpoint;

    private DynamoDbEmulator(Server server, LocalDynamoDBServerHandler handler, int port) {
        this.server = server;
        this.handler = handler;
        this.endpoint = URI.create("http://" + LOOPBACK + ":" + port);
    }

    /** Port 0: a free one. {@code dataDir} null: in memory. */
    public static DynamoDbEmulator start(int port, Path dataDir) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(LOOPBACK);
        connector.setPort(port);
        server.addConnector(connector);
        LocalDynamoDBServerHandler handler = null;
        try {
            handler = handler(dataDir);
            ContextHandler context = new ContextHandler(); // as DynamoDBProxyServer.setUpHandler wraps it
            context.setHandler(handler);
            server.setHandler(context);
            server.start();
            return new DynamoDbEmulator(server, handler, connector.getLocalPort());
        } catch (Exception e) {
            stop(server, handler, e);
            throw PortInUseException.startFailure("DynamoDB Local", port, e);
        }
    }

    /** What {@code ServerRunner.createServer} builds for {@code -sharedDb [-inMemory | -dbPath]}, minus its console dump. */
    private static LocalDynamoDBServerHandler handler(Path dataDir) throws DynamoDBLocalServiceException {
        String dbPath = null;
        if (dataDir != null) {
            createDirectories(dataDir);
            dbPath = dataDir.toAbsolutePath().toString();
        }
        LocalDynamoDBRequestHandler requests = new LocalDynamoDBRequestHandler(HANDLER_ID, dataDir == null, dbPath,
                true, false);
        return new LocalDynamoDBServerHandler(requests, null); // null: no CORS headers
    }

    /** As {@code DynamoDBProxyServer.stop}: the listener, then the handler, which releases the database file. */
    private static void stop(Server server, LocalDynamoDBServerHandler handler, Exception failure) {
        try {
            server.stop();
        } catch (Exception stopFailure) {
            failure.addSuppressed(stopFailure);
        }
        try {
            if (handler != null) {
                handler.close();
            }
        } catch (RuntimeException closeFailure) {
            failure.addSuppressed(closeFailure);
        }
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
        EmulatorException failure = new EmulatorException("DynamoDB Local did not stop", null);
        stop(server, handler, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }
}
