package dev.falgate.submit;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.falgate.Services;
import dev.falgate.auth.Authenticator;
import dev.falgate.http.ApiRequest;
import dev.falgate.http.ApiResponses;
import dev.falgate.http.HttpFunction;
import dev.falgate.idempotency.Idempotency;
import dev.falgate.jobs.Job;
import com.fasterxml.jackson.databind.JsonNode;
import dev.falgate.jobs.JobView;
import dev.falgate.progress.ProgressService;
import dev.falgate.read.JobWaiter;
import dev.falgate.read.WaitPreference;
import dev.falgate.uploads.UploadService;
import dev.falgate.webhooks.WebhookApi;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The write side of the API: jobs, uploads, cancel; and progress, the one read that asks fal (this function holds the key). */
public final class SubmitHandler extends HttpFunction {
    public static final java.util.List<String> ROUTES = java.util.List.of(
            "POST /v1/jobs", "POST /v1/uploads", "POST /v1/jobs/{id}/cancel", "DELETE /v1/jobs/{id}",
            "GET /v1/webhooks/secret", "POST /v1/webhooks/secret/rotate", "POST /v1/jobs/{id}/webhook/replay",
            "GET /v1/jobs/{id}/progress");

    private final Authenticator auth;
    private final SubmitService submits;
    private final UploadService uploads;
    private final CancelService cancels;
    private final JobView view;
    private final Idempotency idempotency;
    private final DeleteService deletes;
    private final WebhookApi webhooks;
    private final JobWaiter waiter;
    private final ProgressService progress;

    public SubmitHandler() {
        this(System.getenv());
    }

    public SubmitHandler(Map<String, String> env) {
        this(new Services(env));
    }

    private SubmitHandler(Services s) {
        this(s.authenticator(), s.submitService(), s.uploads(), s.cancelService(), s.jobView(), s.idempotency(),
                new DeleteService(s.jobs(), s.blobs()), s.webhookApi(), s.progressService(),
                new JobWaiter(s.jobs(), java.time.Clock.systemUTC()));
        dev.falgate.Priming.submit(s, this);
    }

    public SubmitHandler(Authenticator auth, SubmitService submits, UploadService uploads, CancelService cancels,
            JobView view, Idempotency idempotency, DeleteService deletes, WebhookApi webhooks, ProgressService progress,
            JobWaiter waiter) {
        this.auth = auth;
        this.submits = submits;
        this.uploads = uploads;
        this.cancels = cancels;
        this.view = view;
        this.idempotency = idempotency;
        this.deletes = deletes;
        this.webhooks = webhooks;
        this.waiter = waiter;
        this.progress = progress;
    }

    @Override
    protected APIGatewayV2HTTPResponse route(ApiRequest request) {
        String tenant = auth.tenant(request);
        return switch (request.routeKey()) {
            case "POST /v1/jobs" -> submitAndMaybeWait(tenant, request);
            case "POST /v1/uploads" -> ApiResponses.json(201, createUpload(tenant, request));
            case "POST /v1/jobs/{id}/cancel" -> ApiResponses.json(200,
                    view.render(cancels.cancel(tenant, request.pathParameter("id"))));
            case "DELETE /v1/jobs/{id}" -> {
                deletes.delete(tenant, request.pathParameter("id"));
                yield APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(java.util.Map.of()).build();
            }
            case "GET /v1/webhooks/secret" -> ApiResponses.json(200, webhooks.secret(tenant));
            case "POST /v1/webhooks/secret/rotate" -> ApiResponses.json(200, webhooks.rotate(tenant));
            case "POST /v1/jobs/{id}/webhook/replay" -> ApiResponses.json(202,
                    webhooks.replay(tenant, request.pathParameter("id")));
            case "GET /v1/jobs/{id}/progress" -> ApiResponses.json(200,
                    progress.progress(tenant, request.pathParameter("id")));
            default -> throw noRoute(request);
        };
    }

    /** 202 and the job; with {@code Prefer: wait}, 200 and the finished job if it ends in time. */
    private APIGatewayV2HTTPResponse submitAndMaybeWait(String tenant, ApiRequest request) {
        Optional<Duration> asked = WaitPreference.parse(request.header(WaitPreference.HEADER));
        JsonNode submitted = submitJob(tenant, request);
        Optional<Job> finished = asked.flatMap(wait -> waiter.awaitEnd(tenant, submitted.path("id").asText(),
                JobWaiter.budget(wait, request.remainingTime())));
        if (finished.isEmpty()) {
            return ApiResponses.json(202, submitted);
        }
        APIGatewayV2HTTPResponse response = ApiResponses.json(200, view.render(finished.get()));
        Map<String, String> headers = new HashMap<>(response.getHeaders());
        headers.put("preference-applied", "wait");
        response.setHeaders(headers);
        return response;
    }

    private JsonNode submitJob(String tenant, ApiRequest request) {
        JsonNode body = request.jsonBody();
        return idempotency.run(tenant, "jobs", request.header("idempotency-key"), body, commit -> {
            Job job = submits.submit(tenant, body, request.origin(), jobId -> commit.resultExists(jobId, 202));
            return new Idempotency.Outcome<JsonNode>(202, job.id(), view.render(job));
        }, jobId -> view.render(submits.resume(tenant, body, request.origin(), jobId)));
    }

    private JsonNode createUpload(String tenant, ApiRequest request) {
        JsonNode body = request.jsonBody();
        return idempotency.run(tenant, "uploads", request.header("idempotency-key"), body, () -> {
            var created = uploads.create(tenant, body);
            return new Idempotency.Outcome<JsonNode>(201, created.get("upload_id").asText(), created);
        }, uploadId -> uploads.describe(tenant, uploadId));
    }
}
