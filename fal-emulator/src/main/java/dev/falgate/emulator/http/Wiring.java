package dev.falgate.emulator.http;

import dev.falgate.catalog.Catalog;
import dev.falgate.emulator.Accounts;
import dev.falgate.emulator.RuntimeSettings;
import dev.falgate.emulator.StatsRecorder;
import dev.falgate.emulator.SubmitLedger;
import dev.falgate.emulator.faults.FaultPlan;
import dev.falgate.emulator.output.FileStore;
import dev.falgate.emulator.queue.RequestQueue;
import dev.falgate.emulator.storage.UploadStore;
import dev.falgate.emulator.webhook.WebhookSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The collaborators the HTTP layer routes to.
 *
 * @param streamKeepAlive the longest a status stream stays silent before a {@code : ping}
 * @param scheduler where late answers ({@code submit_timeout}) are sent from
 */
public record Wiring(Catalog catalog, RequestQueue queue, StatsRecorder stats, URI baseUrl,
        RuntimeSettings settings, FaultPlan faults, FileStore files, UploadStore uploads,
        WebhookSigner signer, Accounts accounts, SubmitLedger ledger, Duration streamKeepAlive,
        ScheduledExecutorService scheduler, Clock clock) {
}
