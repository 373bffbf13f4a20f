package dev.falgate.emulator.http;

import dev.falgate.catalog.Catalog;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.net.URI;

/** The collaborators the HTTP layer routes to. */
public record Wiring(Catalog catalog, RequestQueue queue, StatsRecorder stats, URI baseUrl,
        RuntimeSettings settings, FileStore files, WebhookSigner signer, String apiKey) {
}
