package dev.falgate.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.http.FieldError;
import dev.falgate.ingest.GuardedPoster;
import dev.falgate.ingest.IngestException;
import dev.falgate.jobs.WebhookSubscription;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code webhook} and {@code webhook_events_filter} of a submit. The URL passes the same
 * SSRF rules as URL inputs now, and again at every delivery.
 */
public final class WebhookRequests {
    public static final List<String> FIELDS = List.of("webhook", "webhook_events_filter");

    private final GuardedPoster poster;

    public WebhookRequests(GuardedPoster poster) {
        this.poster = poster;
    }

    /** The subscription, none, or the problems (added to {@code errors}). */
    public Optional<WebhookSubscription> parse(JsonNode body, List<FieldError> errors) {
        JsonNode url = body.get("webhook");
        JsonNode filter = body.get("webhook_events_filter");
        if (url == null || url.isNull()) {
            if (filter != null && !filter.isNull()) {
                errors.add(new FieldError("webhook_events_filter", "invalid_value", "webhook_events_filter needs a webhook"));
            }
            return Optional.empty();
        }
        int before = errors.size();
        Set<String> events = events(filter, errors);
        if (!url.isTextual()) {
            errors.add(new FieldError("webhook", "invalid_type", "webhook must be an https URL string"));
        } else {
            try {
                poster.check(url.asText());
            } catch (IngestException e) {
                errors.add(e.fieldError("webhook"));
            }
        }
        return errors.size() == before ? Optional.of(new WebhookSubscription(url.asText(), events)) : Optional.empty();
    }

    private static Set<String> events(JsonNode filter, List<FieldError> errors) {
        if (filter == null || filter.isNull()) {
            return WebhookSubscription.DEFAULT_EVENTS;
        }
        Set<String> events = new HashSet<>();
        if (filter.isArray()) {
            filter.forEach(e -> events.add(e.asText()));
        }
        if (!filter.isArray() || filter.isEmpty() || !WebhookSubscription.EVENTS.containsAll(events)
                || events.size() != filter.size()) {
            errors.add(new FieldError("webhook_events_filter", "invalid_value",
                    "webhook_events_filter must be a non-empty list of distinct events out of " + WebhookSubscription.EVENTS));
        }
        return events;
    }
}
