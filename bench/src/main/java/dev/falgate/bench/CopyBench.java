package dev.falgate.bench;

import com.sun.net.httpserver.HttpServer;
import dev.falgate.local.LocalAws;
import dev.falgate.local.emulators.S3Emulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * Copy benchmark, parent side: S3Proxy on its filesystem store (a temp directory), a loopback
 * HTTP server playing fal's CDN with a generated 1 GiB GLB, the expected SHA-256 computed ahead by
 * streaming the same bytes; then {@link CopyChild} in its own JVM with {@code -Xmx128m} does the
 * plain download, falgate's copy and the check. Exits with the child's status.
 *
 * <p>Arguments: {@code [size in MiB, default 1024] [child -Xmx, default 128m]}.
 */
public final class CopyBench {
    static final String BUCKET = "falgate-bench-files";

    public static void main(String[] args) throws Exception {
        long size = (args.length > 0 ? Long.parseLong(args[0]) : 1024) * 1024 * 1024;
        String xmx = args.length > 1 ? args[1] : "128m";
        Path dir = Files.createTempDirectory("falgate-bench-s3");
        int exit;
        S3Emulator s3 = S3Emulator.start(0, dir.resolve("s3"), LocalAws.ACCESS_KEY_ID, LocalAws.SECRET_ACCESS_KEY,
                List.of());
        HttpServer cdn = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        try {
            try (var client = LocalAws.s3(s3.endpoint())) {
                client.createBucket(b -> b.bucket(BUCKET));
            }
            cdn.createContext("/files/model.glb", exchange -> {
                try (exchange) {
                    exchange.getResponseHeaders().set("content-type", "model/gltf-binary");
                    if ("HEAD".equals(exchange.getRequestMethod())) {
                        exchange.sendResponseHeaders(200, -1);
                        return;
                    }
                    exchange.sendResponseHeaders(200, size);
                    try (OutputStream out = exchange.getResponseBody()) {
                        GlbSource.writeTo(size, out);
                    } catch (IOException e) {
                        // the client went away
                    }
                }
            });
            cdn.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "bench-cdn");
                t.setDaemon(true);
                return t;
            }));
            cdn.start();
            URI url = URI.create("http://127.0.0.1:" + cdn.getAddress().getPort() + "/files/model.glb");

            long t0 = System.nanoTime();
            String expected;
            try (GlbSource in = new GlbSource(size)) {
                expected = GlbSource.sha256(in);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("copy-bench: source %s, %d bytes, sha256 %s (hashed ahead in %.1f s, %.0f MB/s)%n",
                    url, size, expected, s, size / 1e6 / s);
            System.out.printf("copy-bench: S3Proxy %s, filesystem store %s%n", s3.endpoint(), dir.resolve("s3"));

            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"),
                    CopyChild.class.getName(), url.toString(), s3.endpoint().toString(), BUCKET,
                    // -Dbench.wrongHash=true: check that the child fails on a mismatch
                    Boolean.getBoolean("bench.wrongHash") ? "0".repeat(64) : expected,
                    Long.toString(size), xmx));
            System.out.println("copy-bench: child JVM: java -Xmx" + xmx + " ... " + CopyChild.class.getSimpleName());
            exit = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            System.out.println("copy-bench: child exited " + exit);
        } finally {
            cdn.stop(0);
            s3.close();
            deleteTree(dir);
        }
        System.exit(exit);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
