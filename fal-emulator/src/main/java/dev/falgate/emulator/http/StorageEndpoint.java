package dev.falgate.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.emulator.Json;
import dev.falgate.emulator.storage.UploadStore;
import java.io.IOException;

/**
 * {@code POST rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3} with
 * {@code {"content_type", "file_name"}} → {@code {"upload_url", "file_url"}} (fal-protocol.md §5).
 * Multipart uploads (files over 90 MB) are not emulated.
 */
final class StorageEndpoint {
    static final String INITIATE_PATH = "storage/upload/initiate";

    private final UploadStore uploads;

    StorageEndpoint(UploadStore uploads) {
        this.uploads = uploads;
    }

    void initiate(Call call) throws IOException {
        if (!call.method().equals("POST")) {
            Exchanges.sendDetail(call.exchange(), 405, "Method Not Allowed");
            return;
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(Exchanges.readBody(call.exchange()));
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            Exchanges.sendDetail(call.exchange(), 422, "expected {content_type, file_name}");
            return;
        }
        UploadStore.Initiated initiated = uploads.initiate(body.path("file_name").asText(null),
                body.path("content_type").asText(null));
        Exchanges.sendJson(call.exchange(), 200, Json.object()
                .put("upload_url", initiated.uploadUrl().toString())
                .put("file_url", initiated.fileUrl().toString()));
    }
}
