package dev.falgate.read;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobStatus;
import dev.falgate.jobs.JobView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /v1/jobs} and {@code GET /v1/jobs/{id}[?wait=N]} for the caller's tenant. */
public final class JobQueries {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final JobRepository jobs;
    private final JobView view;
    private final Cursors cursors;
    private final Catalog catalog;
    private final JobWaiter waiter;

    public JobQueries(JobRepository jobs, JobView view, Cursors cursors, Catalog catalog) {
        this(jobs, view, cursors, catalog, new JobWaiter(jobs, Clock.systemUTC()));
    }

    public JobQueries(JobRepository jobs, JobView view, Cursors cursors, Catalog catalog, JobWaiter waiter) {
        this.waiter = waiter;
        this.jobs = jobs;
        this.view = view;
        this.cursors = cursors;
        this.catalog = catalog;
    }

    public ObjectNode get(String tenant, String jobId) {
        return view.render(find(jobs, tenant, jobId));
    }

    /** {@code ?wait=N}: the job once it has ended, or as it stands when {@code budget} runs out. */
    public ObjectNode awaitEnd(String tenant, String jobId, Duration budget) {
        if (!Ids.isJobId(jobId)) {
            throw ApiException.notFound("job");
        }
        return view.render(waiter.latest(tenant, jobId, budget).orElseThrow(() -> ApiException.notFound("job")));
    }

    /** A tenant's job; a missing id and another tenant's job get the very same 404. */
    public static Job find(JobRepository jobs, String tenant, String jobId) {
        if (!Ids.isJobId(jobId)) {
            throw ApiException.notFound("job");
        }
        return jobs.find(tenant, jobId).orElseThrow(() -> ApiException.notFound("job"));
    }

    public ObjectNode list(String tenant, ApiRequest request) {
        List<FieldError> errors = new ArrayList<>();
        int limit = limit(request, errors);
        String status = request.query("status").orElse(null);
        if (status != null && !validStatus(status)) {
            errors.add(new FieldError("status", "invalid_enum", "status must be one of queued, running, succeeded, failed, canceled"));
        }
        String model = request.query("model").orElse(null);
        if (model != null && catalog.find(model).isEmpty()) {
            errors.add(new FieldError("model", "unknown_model", catalog.unknownModelMessage(model)));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        String after = request.query("cursor").map(c -> cursors.decode(tenant, status, model, c)).orElse(null);
        JobRepository.Page page = jobs.list(tenant, status, model, limit, after);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("jobs");
        page.jobs().forEach(j -> list.add(view.render(j)));
        out.put("next_cursor", page.lastJobId() == null ? null : cursors.encode(tenant, status, model, page.lastJobId()));
        return out;
    }

    private static int limit(ApiRequest request, List<FieldError> errors) {
        String raw = request.query("limit").orElse(null);
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new FieldError("limit", "out_of_range", "limit must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static boolean validStatus(String s) {
        for (JobStatus v : JobStatus.values()) {
            if (v.wire().equals(s)) {
                return true;
            }
        }
        return false;
    }
}
