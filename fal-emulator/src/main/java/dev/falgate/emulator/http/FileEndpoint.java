package dev.falgate.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.output.StoredFile;
import java.io.IOException;
import java.util.Optional;

/** {@code GET|HEAD /files/<request id>/<name>}: the output files, public like fal's CDN. */
final class FileEndpoint {
    private final FileStore files;

    FileEndpoint(FileStore files) {
        this.files = files;
    }

    void handle(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Exchanges.sendDetail(exchange, 405, "Method Not Allowed");
            return;
        }
        String[] parts = path.split("/");
        Optional<StoredFile> file = parts.length == 3
                ? files.get(parts[1], parts[2]) : Optional.empty();
        if (file.isEmpty()) {
            Exchanges.sendDetail(exchange, 404, "File not found");
            return;
        }
        Exchanges.sendBytes(exchange, 200, file.get().contentType(), file.get().bytes());
    }
}
