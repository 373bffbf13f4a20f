package dev.falgate.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An HTTP server on 127.0.0.1 that the tests reach as {@value #HOST}, a name only a test
 * resolver allows (to loopback). Routes are set per test; requested paths are recorded.
 */
final class FixtureServer implements AutoCloseable {
    static final String HOST = "fixtures.test";

    /** What one route does with a request. */
    @FunctionalInterface
    interface Route {
        void answer(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    FixtureServer() throws IOException {
        this(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    private FixtureServer(HttpServer server) {
        this.server = server;
        server.createContext("/", this::dispatch);
        server.setExecutor(threads);
        server.start();
    }

    /** The same over TLS, with a self-signed certificate for {@value #HOST} that no one trusts. */
    static FixtureServer withUntrustedTls(Path workDir) throws IOException, GeneralSecurityException, InterruptedException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSignedTls(workDir)));
        return new FixtureServer(https);
    }

    /** The JDK has no public API to make a certificate, so its keytool makes one. */
    private static SSLContext selfSignedTls(Path workDir) throws IOException, GeneralSecurityException, InterruptedException {
        Path store = workDir.resolve("fixture.p12");
        char[] password = "fixture-pass".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "fixture", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=" + HOST, "-ext", "SAN=dns:" + HOST, "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(password))
                .redirectErrorStream(true).redirectOutput(workDir.resolve("keytool.log").toFile()).start();
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed: " + Files.readString(workDir.resolve("keytool.log")));
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        return tls;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requested.add(path);
        Route route = routes.getOrDefault(path, e -> send(e, 404, new byte[0]));
        try (exchange) {
            route.answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException clientWentAway) {
            // expected when the fetcher cuts a body off
        }
    }

    FixtureServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    /** A redirect from {@code path} to {@code location}. */
    FixtureServer redirect(String path, String location) {
        return route(path, e -> {
            e.getResponseHeaders().set("Location", location);
            send(e, 302, new byte[0]);
        });
    }

    String url(String path) {
        return (server instanceof HttpsServer ? "https://" : "http://") + HOST + ":" + port() + path;
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<String> requested() {
        return List.copyOf(requested);
    }

    /** A body with a Content-Length. */
    static void send(HttpExchange e, int status, byte[] body) throws IOException {
        e.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        e.getResponseBody().write(body);
    }

    /** A body without a Content-Length (chunked), written in pieces. */
    static void sendChunked(HttpExchange e, byte[] body) throws IOException {
        e.sendResponseHeaders(200, 0);
        OutputStream out = e.getResponseBody();
        for (int at = 0; at < body.length; at += 512) {
            out.write(body, at, Math.min(512, body.length - at));
            out.flush();
        }
    }


    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
