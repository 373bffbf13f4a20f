package dev.falgate.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.falgate.http.Json;
import dev.falgate.storage.BlobStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The job as the API shows it. File URLs are presigned GETs of our copies, signed on every
 * read and never stored; absent values are {@code null}, never omitted.
 */
public final class JobView {
    public static final Duration FILE_URL_LIFETIME = Duration.ofHours(1);

    private final BlobStore blobs;
    private final Clock clock;

    public JobView(BlobStore blobs, Clock clock) {
        this.blobs = blobs;
        this.clock = clock;
    }

    public ObjectNode render(Job job) {
        ObjectNode o = Json.object();
        o.put("id", job.id());
        o.put("model", job.model());
        o.put("status", job.status().wire());
        o.put("created_at", Json.time(job.createdAt()));
        o.put("updated_at", Json.time(job.updatedAt()));
        o.put("completed_at", Json.time(job.completedAt()));
        o.set("input", job.input());
        Instant expires = clock.instant().plus(FILE_URL_LIFETIME);
        Map<String, String> urls = new HashMap<>();
        ArrayNode files = o.putArray("files");
        for (JobFile f : job.files()) {
            ObjectNode file = files.addObject();
            String url = putFile(file, f, expires);
            urls.put(f.field(), url);
            file.put("width", f.width());
            file.put("height", f.height());
            file.put("thumbnail_url", f.thumbnailKey() == null ? null
                    : blobs.presignGet(f.thumbnailKey(), FILE_URL_LIFETIME).toString());
        }
        ArrayNode inputs = o.putArray("input_files");
        job.inputFiles().forEach(f -> putFile(inputs.addObject(), f, expires));
        o.set("output", job.output() == null ? null : withUrls(job.output().deepCopy(), urls));
        o.set("error", job.error() == null ? null
                : Json.object().put("code", job.error().code()).put("message", job.error().message()));
        o.set("metadata", job.metadata());
        o.put("billable_units", job.billableUnits());
        ArrayNode events = o.putArray("events");
        job.events().forEach(e -> events.addObject()
                .put("status", e.status().wire()).put("at", Json.time(e.at())).put("source", e.source()));
        ArrayNode deliveries = o.putArray("webhook_deliveries");
        job.webhookDeliveries().forEach(d -> deliveries.addObject().put("event", d.event()).put("attempt", d.attempt())
                .put("status_code", d.statusCode()).put("at", Json.time(d.at())));
        return o;
    }

    /** The fields outputs and inputs share; the URL saves under the file's name. Returns the URL. */
    private String putFile(ObjectNode file, JobFile f, Instant expires) {
        String url = blobs.presignDownload(f.key(), FILE_URL_LIFETIME, f.downloadName()).toString();
        file.put("field", f.field());
        file.put("url", url);
        file.put("expires_at", Json.time(expires));
        file.put("content_type", f.contentType());
        file.put("size", f.size());
        file.put("file_name", f.downloadName());
        return url;
    }

    /** Replaces every {@code falgate-file:<field>} placeholder with that file's URL. */
    private static JsonNode withUrls(JsonNode node, Map<String, String> urls) {
        if (node instanceof ObjectNode obj) {
            for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
                var e = it.next();
                e.setValue(withUrls(e.getValue(), urls));
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, withUrls(arr.get(i), urls));
            }
        } else if (node.isTextual() && node.asText().startsWith(JobFiles.PLACEHOLDER)) {
            return new TextNode(urls.get(node.asText().substring(JobFiles.PLACEHOLDER.length())));
        }
        return node;
    }
}
