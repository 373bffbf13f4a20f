package dev.falgate.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.uploads.UploadService;
import java.util.List;

/**
 * fal's {@code storage/upload/initiate}: a presigned PUT into falgate's bucket and, as the
 * {@code file_url}, the upload's {@code upload://} ref, which only this tenant's jobs accept.
 * fal's initiate carries no size, so the PUT is not bound to one: the size is checked when a
 * job uses the file ({@link UploadService#resolve}), and an oversize file is deleted then.
 */
final class ProxyUploads {
    private final UploadService uploads;

    ProxyUploads(UploadService uploads) {
        this.uploads = uploads;
    }

    ObjectNode initiate(String tenant, JsonNode body) {
        JsonNode type = body.get("content_type");
        String contentType = type == null || !type.isTextual() ? null : type.asText().split(";")[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (contentType == null || !UploadService.CONTENT_TYPES.containsKey(contentType)) {
            throw ApiException.validation(List.of(new FieldError("content_type", "unsupported_content_type",
                    "content_type must be one of " + String.join(", ", UploadService.CONTENT_TYPES.keySet().stream().sorted().toList()))));
        }
        JsonNode name = body.get("file_name");
        String fileName = name != null && name.isTextual() && name.asText().length() <= 255 ? name.asText() : null;
        UploadService.Unsized created = uploads.createUnsized(tenant, contentType, fileName);
        return Json.object().put("upload_url", created.putUrl().toString()).put("file_url", created.upload().ref());
    }
}
