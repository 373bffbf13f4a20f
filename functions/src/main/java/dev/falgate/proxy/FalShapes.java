package dev.falgate.proxy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** falgate's jobs and errors in the shapes fal's queue API answers, so {@code @fal-ai/client} reads them as fal's. */
final class FalShapes {
    static final String QUEUE_BASE = "https://queue.fal.run/";
    static final String REQUEST_ID_HEADER = "x-fal-request-id";
    static final String CANCELED_DETAIL = "Request was cancelled";
    static final String CANCELED_TYPE = "client_cancelled";
    private static final Pattern INDEX = Pattern.compile("^(.*)\\[(\\d+)]$");

    private FalShapes() {
    }

    /** {@code owner/app} of a model id: where its status, result and cancel URLs live. */
    static String appOf(String modelId) {
        String[] parts = modelId.split("/");
        return parts.length < 2 ? modelId : parts[0] + "/" + parts[1];
    }

    static ObjectNode submitted(Job job) {
        ObjectNode o = Json.object().put("status", "IN_QUEUE").put("request_id", job.id())
                .put("gateway_request_id", job.id());
        urls(o, job);
        return o.put("queue_position", 0);
    }

    /** The status body; {@code logs} only when asked for (fal's {@code logs=1}), else an empty list. */
    static ObjectNode status(Job job, ArrayNode logs, Integer queuePosition) {
        ObjectNode o = Json.object().put("status", wireStatus(job.status())).put("request_id", job.id());
        urls(o, job);
        switch (job.status()) {
            case QUEUED -> o.put("queue_position", queuePosition == null ? 0 : queuePosition);
            case RUNNING -> o.set("logs", logs);
            default -> {
                o.set("logs", logs);
                o.putObject("metrics");
                if (job.status() == JobStatus.FAILED) {
                    o.put("error", job.error() == null ? "failed" : job.error().message());
                    o.put("error_type", job.error() == null ? "failed" : job.error().code());
                } else if (job.status() == JobStatus.CANCELED) {
                    o.put("error", CANCELED_DETAIL).put("error_type", CANCELED_TYPE);
                }
            }
        }
        return o;
    }

    /** 202 while queued or running, 200 once completed, as fal's status endpoint. */
    static int statusCode(Job job) {
        return job.status().terminal() ? 200 : 202;
    }

    static String wireStatus(JobStatus status) {
        return switch (status) {
            case QUEUED -> "IN_QUEUE";
            case RUNNING -> "IN_PROGRESS";
            default -> "COMPLETED";
        };
    }

    private static void urls(ObjectNode o, Job job) {
        String base = QUEUE_BASE + appOf(job.model()) + "/requests/" + job.id();
        o.put("response_url", base).put("status_url", base + "/status").put("cancel_url", base + "/cancel");
    }

    /** A finished job's result as fal's result endpoint replays it: the output, or the error. */
    static APIGatewayV2HTTPResponse result(Job job, JsonNode renderedOutput) {
        return switch (job.status()) {
            case SUCCEEDED -> json(200, renderedOutput, job.id());
            case CANCELED -> json(400, detail(CANCELED_DETAIL, CANCELED_TYPE), job.id());
            case FAILED -> json("upstream_validation".equals(job.error().code()) ? 422 : 500,
                    detail(job.error().message(), job.error().code()), job.id());
            default -> json(400, detail("Request is still in progress", "request_in_progress"), job.id());
        };
    }

    static ObjectNode detail(String detail, String errorType) {
        ObjectNode o = Json.object().put("detail", detail);
        return errorType == null ? o : o.put("error_type", errorType);
    }

    static APIGatewayV2HTTPResponse refusal(ProxyRefusal r) {
        return json(r.status(), detail(r.getMessage(), null).put("message", r.getMessage()), null);
    }

    /**
     * falgate's refusal in fal's shape: a validation failure is a 422 whose {@code detail} lists
     * each field as FastAPI does ({@code loc: ["body", field, ...]}), so the client's
     * {@code ValidationError.getFieldErrors(field)} finds it; anything else keeps its status.
     */
    static APIGatewayV2HTTPResponse error(ApiException e) {
        if (e.status() != 400 || e.details().isEmpty()) {
            return json(e.status(), detail(e.getMessage(), e.code()).put("message", e.getMessage()), null);
        }
        ObjectNode body = Json.object();
        ArrayNode detail = body.putArray("detail");
        for (FieldError f : e.details()) {
            ObjectNode d = detail.addObject();
            d.set("loc", loc(f.field()));
            d.put("msg", f.message()).put("type", f.code());
        }
        body.put("message", e.getMessage());
        return json(422, body, null);
    }

    /** {@code input.images[1]} → {@code ["body", "images", 1]}; a field outside the input stays as named. */
    static ArrayNode loc(String field) {
        ArrayNode loc = Json.array().add("body");
        String path = field.startsWith("input.") ? field.substring("input.".length()) : field;
        for (String part : path.split("\\.")) {
            Matcher m = INDEX.matcher(part);
            if (m.matches()) {
                loc.add(m.group(1));
                loc.add(Integer.parseInt(m.group(2)));
            } else {
                loc.add(part);
            }
        }
        return loc;
    }

    static APIGatewayV2HTTPResponse json(int status, JsonNode body, String requestId) {
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "application/json");
        headers.put("cache-control", "no-store");
        if (requestId != null) {
            headers.put(REQUEST_ID_HEADER, requestId);
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(Json.write(body)).withIsBase64Encoded(false).build();
    }

    /** A finished (not open) event stream: one {@code data:} event per status, as fal's stream sends them. */
    static APIGatewayV2HTTPResponse eventStream(Iterable<ObjectNode> events, String requestId) {
        StringBuilder body = new StringBuilder();
        for (ObjectNode e : events) {
            body.append("data: ").append(Json.write(e)).append("\n\n");
        }
        Map<String, String> headers = new HashMap<>();
        headers.put("content-type", "text/event-stream");
        headers.put("cache-control", "no-store");
        headers.put(REQUEST_ID_HEADER, requestId);
        return APIGatewayV2HTTPResponse.builder().withStatusCode(200).withHeaders(headers)
                .withBody(body.toString()).withIsBase64Encoded(false).build();
    }
}
