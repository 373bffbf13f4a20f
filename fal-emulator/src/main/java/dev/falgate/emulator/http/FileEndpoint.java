package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.faults.Fault;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.output.StoredFile;
import dev.falgate.emulator.storage.UploadStore;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The emulator's CDN, public like fal's: {@code GET|HEAD /files/<request id>/<name>} (outputs)
 * and {@code /uploads/<upload id>/<name>} (storage uploads, which arrive by {@code PUT} to the
 * same path with the upload's token). Downloads are where {@code slow_download} and
 * {@code truncated_download} strike.
 */
final class FileEndpoint {
    /** A slow download arrives in this many pieces spread over the fault's delay. */
    private static final int SLOW_PIECES = 10;

    private final FileStore files;
    private final UploadStore uploads;
    private final FaultPlan faults;

    FileEndpoint(FileStore files, UploadStore uploads, FaultPlan faults) {
        this.files = files;
        this.uploads = uploads;
        this.faults = faults;
    }

    void handle(Call call) throws IOException {
        String[] parts = call.path().split("/");
        boolean upload = parts[0].equals("uploads");
        String method = call.method();
        if (upload && method.equals("PUT") && parts.length == 3) {
            receiveUpload(call, parts[1], parts[2]);
        } else if (method.equals("GET") || method.equals("HEAD")) {
            Optional<StoredFile> file = parts.length != 3 ? Optional.empty()
                    : upload ? uploads.get(parts[1], parts[2]) : files.get(parts[1], parts[2]);
            serve(call.exchange(), file);
        } else {
            Exchanges.sendDetail(call.exchange(), 405, "Method Not Allowed");
        }
    }

    private void receiveUpload(Call call, String id, String name) throws IOException {
        byte[] bytes = Exchanges.readBody(call.exchange());
        String token = call.query().getOrDefault("token", "");
        if (!uploads.put(id, name, token, bytes, call.header("Content-Type"))) {
            Exchanges.sendDetail(call.exchange(), 403, "Invalid or expired upload URL");
            return;
        }
        call.exchange().sendResponseHeaders(200, -1);
    }

    private void serve(HttpExchange exchange, Optional<StoredFile> file) throws IOException {
        if (file.isEmpty()) {
            Exchanges.sendDetail(exchange, 404, "File not found");
        } else if (exchange.getRequestMethod().equals("HEAD")) {
            Exchanges.sendBytes(exchange, 200, file.get().contentType(), file.get().bytes());
        } else {
            download(exchange, file.get());
        }
    }

    private void download(HttpExchange exchange, StoredFile file) throws IOException {
        byte[] bytes = file.bytes();
        if (faults.fires(Fault.TRUNCATED_DOWNLOAD)) {
            // the full length is announced; closing after half makes the connection drop
            exchange.getResponseHeaders().set("Content-Type", file.contentType());
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes, 0, bytes.length / 2);
            exchange.getResponseBody().flush();
        } else if (faults.fires(Fault.SLOW_DOWNLOAD)) {
            exchange.getResponseHeaders().set("Content-Type", file.contentType());
            exchange.sendResponseHeaders(200, bytes.length);
            trickle(exchange.getResponseBody(), bytes, faults.delay(Fault.SLOW_DOWNLOAD));
        } else {
            Exchanges.sendBytes(exchange, 200, file.contentType(), bytes);
        }
    }

    private static void trickle(OutputStream out, byte[] bytes, Duration over) throws IOException {
        long pause = over.toNanos() / SLOW_PIECES;
        int piece = Math.max(1, (bytes.length + SLOW_PIECES - 1) / SLOW_PIECES);
        for (int offset = 0; offset < bytes.length; offset += piece) {
            LockSupport.parkNanos(pause);
            out.write(bytes, offset, Math.min(piece, bytes.length - offset));
            out.flush();
        }
    }
}
