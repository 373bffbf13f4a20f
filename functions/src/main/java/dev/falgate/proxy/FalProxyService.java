package dev.falgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.auth.BrowserTokens.Grant;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.http.ApiException;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.jobs.JobView;
import dev.falgate.progress.ProgressService;
import dev.falgate.read.JobQueries;
import dev.falgate.submit.CancelService;
import dev.falgate.read.JobWaiter;
import dev.falgate.submit.SubmitService;
import dev.falgate.uploads.UploadService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * fal's queue, run and storage calls, answered by falgate: a submit is a falgate job (the same
 * validation, stored inputs, webhook and listing as {@code POST /v1/jobs}) whose fal
 * {@code request_id} is the job id, so status, result and cancel come back to the job.
 */
public final class FalProxyService {
    /**
     * How long a status stream or {@code fal.run} holds its request: API Gateway cuts an HTTP
     * API integration at 30 s, and the function's own remaining time cuts this further.
     */
    static final Duration LONGEST_HOLD = Duration.ofSeconds(25);

    private final Catalog catalog;
    private final SubmitService submits;
    private final JobRepository jobs;
    private final JobView view;
    private final CancelService cancels;
    private final ProgressService progress;
    private final JobWaiter waiter;
    private final ProxyUploads uploads;

    public FalProxyService(Catalog catalog, SubmitService submits, JobRepository jobs, JobView view,
            CancelService cancels, ProgressService progress, JobWaiter waiter, UploadService uploads) {
        this.catalog = catalog;
        this.submits = submits;
        this.jobs = jobs;
        this.view = view;
        this.cancels = cancels;
        this.progress = progress;
        this.waiter = waiter;
        this.uploads = new ProxyUploads(uploads);
    }

    public APIGatewayV2HTTPResponse handle(Grant caller, FalTarget target, ApiRequest request) {
        return switch (target.kind()) {
            case SUBMIT -> FalShapes.json(200, FalShapes.submitted(submit(caller, target, request)), null);
            case RUN -> run(caller, target, request);
            case RUN_STREAM -> throw new ProxyRefusal(400, "streaming endpoints (fal.stream, fal.run/.../stream) are not "
                    + "served through falgate: use fal.subscribe or fal.queue.submit");
            case STATUS -> status(caller, target);
            case STATUS_STREAM -> statusStream(caller, target, request);
            case RESULT -> {
                Job job = job(caller, target);
                yield FalShapes.result(job, output(job));
            }
            case CANCEL -> cancel(caller, target);
            case UPLOAD_INITIATE -> FalShapes.json(200, uploads.initiate(caller.tenant(), request.jsonBody()), null);
            case UPLOAD_MULTIPART -> throw new ProxyRefusal(413, "files over 90 MB (multipart uploads) are not "
                    + "accepted through falgate's proxy; the largest upload is " + UploadService.MAX_UPLOAD_BYTES + " bytes");
        };
    }

    private Job submit(Grant caller, FalTarget target, ApiRequest request) {
        ModelSpec model = catalogModel(caller, target.path());
        if (target.query().containsKey("fal_webhook")) {
            throw ProxyRefusal.badRequest("fal_webhook is not passed on: falgate receives fal's webhook itself; "
                    + "subscribe to falgate's partner webhooks (POST /v1/jobs \"webhook\") instead");
        }
        ObjectNode body = Json.object().put("model", model.id());
        body.set("input", request.jsonBody());
        return submits.submit(caller.tenant(), body, request.origin(), reserved -> { });
    }

    /** A catalog model the caller may use; anything else is a 403 (fal's other models are not reachable). */
    private ModelSpec catalogModel(Grant caller, String path) {
        ModelSpec model = catalog.find(path).orElseThrow(() -> ProxyRefusal.forbidden(
                path + " is not a model of this falgate deployment (GET /v1/models lists them)"));
        if (!caller.allows(model.id())) {
            throw ProxyRefusal.forbidden("this token is not valid for " + model.id());
        }
        return model;
    }

    /** {@code fal.run}: a job answered when it ends in time (as {@code Prefer: wait}); else 408 naming the job. */
    private APIGatewayV2HTTPResponse run(Grant caller, FalTarget target, ApiRequest request) {
        Job job = submit(caller, target, request);
        Optional<Job> ended = waiter.awaitEnd(caller.tenant(), job.id(), hold(request));
        if (ended.isEmpty()) {
            return FalShapes.json(408, FalShapes.detail("the job " + job.id() + " is still running: read it with "
                    + "fal.queue.result(\"" + job.model() + "\", {requestId: \"" + job.id() + "\"}) once it completes",
                    "request_timeout"), job.id());
        }
        return FalShapes.result(ended.get(), output(ended.get()));
    }

    private APIGatewayV2HTTPResponse status(Grant caller, FalTarget target) {
        Job job = job(caller, target);
        return FalShapes.json(FalShapes.statusCode(job), statusBody(job, target.flag("logs")), job.id());
    }

    /**
     * The status stream. An HTTP API behind Lambda answers in one piece (no response streaming),
     * so the stream is held until the job completes or {@link #LONGEST_HOLD} passes, and then
     * sent as a finished event stream: the state at the start, and the state at the end. The
     * client reads the last event as the outcome, as from fal's open stream; nothing is silent
     * on the wire, so its 15 s idle rule never applies.
     */
    private APIGatewayV2HTTPResponse statusStream(Grant caller, FalTarget target, ApiRequest request) {
        Job first = job(caller, target);
        boolean logs = target.flag("logs");
        List<ObjectNode> events = new ArrayList<>();
        events.add(statusBody(first, logs));
        if (!first.status().terminal()) {
            waiter.awaitEnd(caller.tenant(), first.id(), hold(request))
                    .or(() -> jobs.find(caller.tenant(), first.id()))
                    .ifPresent(last -> events.add(statusBody(last, logs)));
        }
        return FalShapes.eventStream(events, first.id());
    }

    private APIGatewayV2HTTPResponse cancel(Grant caller, FalTarget target) {
        Job job = job(caller, target);
        if (job.status().terminal() && job.status() != dev.falgate.jobs.JobStatus.CANCELED) {
            return FalShapes.json(400, Json.object().put("status", "ALREADY_COMPLETED"), job.id());
        }
        cancels.cancel(caller.tenant(), job.id());
        return FalShapes.json(202, Json.object().put("status", "CANCELLATION_REQUESTED"), job.id());
    }

    /** The caller's job the URL names, under the app of its own model (otherwise fal's 404). */
    private Job job(Grant caller, FalTarget target) {
        Job job;
        try {
            job = JobQueries.find(jobs, caller.tenant(), target.requestId());
        } catch (ApiException e) {
            throw new ProxyRefusal(404, "Request not found");
        }
        if (!FalShapes.appOf(job.model()).equals(target.path())) {
            throw new ProxyRefusal(404, "Request not found");
        }
        if (!caller.allows(job.model())) {
            throw ProxyRefusal.forbidden("this token is not valid for " + job.model());
        }
        return job;
    }

    private ObjectNode statusBody(Job job, boolean withLogs) {
        ArrayNode logs = Json.array();
        Integer position = null;
        if (withLogs) {
            ObjectNode snapshot = progressOf(job);
            snapshot.path("logs").forEach(line -> logs.addObject().put("message", line.path("message").asText())
                    .put("level", "INFO").put("source", "USER").put("timestamp", line.path("at").asText()));
            position = snapshot.path("queue_position").isInt() ? snapshot.get("queue_position").asInt() : null;
        }
        return FalShapes.status(job, logs, position);
    }

    /** fal's queue position and log lines (one fal call per job per 2 s at most); none when fal cannot be asked. */
    private ObjectNode progressOf(Job job) {
        try {
            return progress.progress(job.tenant(), job.id());
        } catch (ApiException e) {
            return Json.object();
        }
    }

    private JsonNode output(Job job) {
        return view.render(job).path("output");
    }

    private static Duration hold(ApiRequest request) {
        return JobWaiter.budget(LONGEST_HOLD, request.remainingTime());
    }
}
