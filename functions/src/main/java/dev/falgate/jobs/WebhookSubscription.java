package dev.falgate.jobs;

import java.util.List;
import java.util.Set;

/**
 * A partner's outgoing webhook on one job: where to POST, and which events
 * ({@code queued}, {@code running}, {@code completed}) it wants.
 */
public record WebhookSubscription(String url, Set<String> events) {
    public static final List<String> EVENTS = List.of("queued", "running", "completed");
    public static final Set<String> DEFAULT_EVENTS = Set.of("completed");

    public WebhookSubscription {
        events = Set.copyOf(events);
    }

    /** The event a move to this status is, or null: any end is {@code completed}. */
    public static String eventFor(JobStatus status) {
        return status.terminal() ? "completed" : status.wire();
    }

    public boolean wants(String event) {
        return event != null && events.contains(event);
    }
}
