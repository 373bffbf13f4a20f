package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.fal.InputHandoff;
import dev.falgate.http.ApiException;
import dev.falgate.ingest.Fetched;
import dev.falgate.ingest.IngestException;
import dev.falgate.ingest.UrlFetcher;
import dev.falgate.http.FieldError;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.poller.PollScheduler;
import dev.falgate.storage.BlobStore;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadRepository;
import dev.falgate.uploads.UploadService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/jobs}: validate, store the inputs, write the job, hand it to fal's queue
 * with our webhook, and schedule the first poll. Nothing is stored and nothing reaches fal
 * for a request that fails validation.
 */
public final class SubmitService {
    /** Files one job may name, and their total size (uploads included). */
    static final int MAX_FILES = 16;
    static final long MAX_TOTAL_INPUT_BYTES = 256L * 1024 * 1024;

    private final InputValidator validator;
    private final UploadService uploads;
    private final JobRepository jobs;
    private final FalSubmitter submitter;
    private final PollScheduler polls;
    private final UrlFetcher fetcher;
    private final Ids ids;
    private final Clock clock;

    public SubmitService(InputValidator validator, UploadService uploads, JobRepository jobs,
            FalSubmitter submitter, PollScheduler polls, UrlFetcher fetcher, Ids ids, Clock clock) {
        this.validator = validator;
        this.uploads = uploads;
        this.jobs = jobs;
        this.submitter = submitter;
        this.polls = polls;
        this.fetcher = fetcher;
        this.ids = ids;
        this.clock = clock;
    }

    public Job submit(String tenant, JsonNode body, String apiOrigin) {
        InputValidator.Checked v = validator.check(body);
        List<FieldError> errors = new ArrayList<>(v.errors());
        List<Integer> statuses = new ArrayList<>();
        Map<InputValidator.FileSlot, Object> files = v.model() == null ? Map.of()
                : checkFiles(tenant, v.model(), v.files(), errors, statuses);
        try {
            if (!errors.isEmpty()) {
                throw statuses.contains(413)
                        ? new ApiException(413, "file_too_large", "a file is too large to fetch; upload it through POST /v1/uploads", errors)
                        : ApiException.validation(errors);
            }
            ObjectNode input = v.input();
            files.forEach((slot, file) -> setFile(input, slot, store(tenant, file).ref()));
            return createAndSubmit(tenant, v, input, apiOrigin);
        } finally {
            files.values().stream().filter(f -> f instanceof Fetched).forEach(f -> ((Fetched) f).close());
        }
    }

    /** A checked file as an upload: resolved refs as they are, decoded and fetched files stored now. */
    private Upload store(String tenant, Object file) {
        if (file instanceof Upload u) {
            return u;
        }
        if (file instanceof Fetched f) {
            return uploads.store(tenant, f.file(), f.size(), f.contentType());
        }
        return uploads.store(tenant, (UploadService.DecodedFile) file);
    }

    private Job createAndSubmit(String tenant, InputValidator.Checked v, ObjectNode input, String apiOrigin) {
        Instant now = clock.instant();
        ModelSpec model = v.model();
        Job job = Job.create(ids.job(), tenant, model.id(), input, v.metadata(), now,
                polls.deadline(now, model.category().deadlineSeconds()));
        job.setWebhookUrl(submitter.webhookUrl(job.id(), apiOrigin));
        jobs.create(job);
        // The poll is scheduled before fal is called: whatever happens after this line, the
        // poll path will find the job and finish, retry or time it out.
        polls.first(job.id(), model.category().typicalSeconds());
        return submitter.submit(job, "submit");
    }

    /** A job of the tenant (for replaying an idempotent submit). */
    public Job find(String tenant, String jobId) {
        return dev.falgate.read.JobQueries.find(jobs, tenant, jobId);
    }

    /** Every file slot resolved (an upload) or decoded (a data: URI); problems go to {@code errors}. */
    private Map<InputValidator.FileSlot, Object> checkFiles(String tenant, ModelSpec model,
            List<InputValidator.FileSlot> slots, List<FieldError> errors, List<Integer> statuses) {
        if (slots.size() > MAX_FILES) {
            errors.add(new FieldError("input", "too_many_files", "a job takes at most " + MAX_FILES + " files"));
            return Map.of();
        }
        Map<InputValidator.FileSlot, Object> out = new LinkedHashMap<>();
        for (InputValidator.FileSlot slot : slots) {
            try {
                out.put(slot, checkFile(tenant, model.input(slot.field()).orElseThrow(), slot));
            } catch (UploadService.FieldProblem p) {
                errors.add(p.error());
                statuses.add(p.status());
            }
        }
        long total = out.values().stream().mapToLong(SubmitService::size).sum();
        if (total > MAX_TOTAL_INPUT_BYTES) {
            throw new ApiException(413, "payload_too_large",
                    "the job's files add up to " + total + " bytes; the limit is " + MAX_TOTAL_INPUT_BYTES);
        }
        return out;
    }

    private static long size(Object file) {
        if (file instanceof Upload u) {
            return u.size();
        }
        return file instanceof Fetched f ? f.size() : ((UploadService.DecodedFile) file).bytes().length;
    }

    private Object checkFile(String tenant, FieldSpec field, InputValidator.FileSlot slot) {
        String value = slot.value();
        if (value.startsWith(UploadService.REF_PREFIX)) {
            Upload upload = uploads.resolve(tenant, value, slot.path());
            FileChecks.check(field, slot.path(), upload.contentType(), upload.size(), uploads.head(upload));
            return upload;
        }
        if (value.startsWith("data:")) {
            UploadService.DecodedFile file = uploads.decodeDataUri(value, slot.path());
            FileChecks.check(field, slot.path(), file.contentType(), file.bytes().length, file.bytes());
            return file;
        }
        if (value.regionMatches(true, 0, "https://", 0, 8) || value.regionMatches(true, 0, "http://", 0, 7)) {
            return fetch(field, slot, value);
        }
        throw new UploadService.FieldProblem(slot.path(), "invalid_file", "must be an upload:// ref, a data: URI or an https:// URL");
    }

    /** Fetches a URL input into a temp file (SSRF-guarded) and checks it like any other file. */
    private Fetched fetch(FieldSpec field, InputValidator.FileSlot slot, String url) {
        Fetched fetched;
        try {
            fetched = fetcher.fetch(url);
        } catch (IngestException e) {
            throw new UploadService.FieldProblem(e.fieldError(slot.path()), e.status());
        }
        try {
            byte[] head = readHead(fetched);
            String type = claimedType(field, fetched, head);
            FileChecks.check(field, slot.path(), type, fetched.size(), head);
            return new Fetched(fetched.file(), fetched.size(), type);
        } catch (RuntimeException e) {
            fetched.close();
            throw e;
        }
    }

    /** The type to store: what the bytes are (servers often say octet-stream or lie). */
    private static String claimedType(FieldSpec field, Fetched fetched, byte[] head) {
        if ("safetensors".equals(field.fileKind())) {
            return "application/octet-stream";
        }
        return dev.falgate.uploads.FileSniffer.imageType(head).orElse(fetched.contentType());
    }

    private static byte[] readHead(Fetched fetched) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(fetched.file())) {
            return in.readNBytes(dev.falgate.uploads.FileSniffer.HEAD_BYTES);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void setFile(ObjectNode input, InputValidator.FileSlot slot, String ref) {
        if (slot.index() < 0) {
            input.put(slot.field(), ref);
        } else {
            ((ArrayNode) input.get(slot.field())).set(slot.index(), input.textNode(ref));
        }
    }

    /**
     * Sends a job to fal and records what happened. Shared by the first submit and the poll
     * path's retries: fal 5xx/429 leaves the job queued for a retry, 422 fails it, a timeout
     * marks it uncertain (no blind resubmit: fal may have it).
     */
    public static final class FalSubmitter {
        private final FalClient fal;
        private final JobRepository jobs;
        private final InputHandoff inputs;
        private final Catalog catalog;
        private final UploadRepository uploadRecords;
        private final Optional<String> webhookBase;
        private final Clock clock;

        public FalSubmitter(FalClient fal, JobRepository jobs, InputHandoff inputs, Catalog catalog,
                UploadRepository uploadRecords, Optional<String> webhookBase, Clock clock) {
            this.fal = fal;
            this.jobs = jobs;
            this.inputs = inputs;
            this.catalog = catalog;
            this.uploadRecords = uploadRecords;
            this.webhookBase = webhookBase;
            this.clock = clock;
        }

        /** Set {@code WEBHOOK_BASE_URL} to this when fal cannot call back (a laptop): the poller finishes. */
        public static final String NO_WEBHOOK = "none";

        /**
         * The webhook URL for a new job: the configured public base, or the API's own origin;
         * null when webhooks are off.
         */
        public String webhookUrl(String jobId, String apiOrigin) {
            String base = webhookBase.orElse(apiOrigin);
            return NO_WEBHOOK.equals(base) ? null : base.replaceAll("/+$", "") + "/v1/webhooks/fal/" + jobId;
        }

        public Job submit(Job job, String source) {
            String webhook = job.webhookUrl();
            try {
                // inside the try: handing inputs to fal's storage can fail like any call to fal
                FalClient.Submitted s = fal.submit(job.model(), falInput(job), webhook);
                return jobs.update(job.id(), j -> {
                    if (j.falRequestId() != null && !j.falRequestId().equals(s.requestId())) {
                        return false; // a webhook already bound another request id: keep it
                    }
                    j.countSubmitAttempt();
                    j.submitted(s.requestId(), s.statusUrl(), s.responseUrl(), s.cancelUrl(), clock.instant());
                    return true;
                }).orElse(job);
            } catch (FalException e) {
                return jobs.update(job.id(), j -> afterFailedSubmit(j, e, source)).orElse(job);
            }
        }

        private boolean afterFailedSubmit(Job j, FalException e, String source) {
            if (j.falRequestId() != null) {
                return false;
            }
            j.countSubmitAttempt();
            Instant now = clock.instant();
            return switch (e.kind()) {
                case REJECTED -> j.fail("upstream_validation", "fal refused the input: " + abbreviate(e.body()), source, now);
                case TIMEOUT -> {
                    j.setSubmitState(Job.SubmitState.UNCERTAIN, now);
                    yield true;
                }
                case UNAVAILABLE -> {
                    j.setSubmitState(Job.SubmitState.RETRY, now);
                    yield true;
                }
                case OTHER -> j.fail("upstream_error", "fal answered " + e.status() + ": " + abbreviate(e.body()), source, now);
            };
        }

        /** The input as fal gets it: every upload ref replaced by a GET URL valid past the deadline. */
        ObjectNode falInput(Job job) {
            ObjectNode in = job.input().deepCopy();
            Duration validity = Duration.between(clock.instant(), job.deadlineAt()).plusMinutes(15);
            for (var field : catalog.find(job.model()).orElseThrow().fileInputs()) {
                JsonNode v = in.get(field.name());
                if (v == null) {
                    continue;
                }
                if (v.isArray()) {
                    ArrayNode arr = (ArrayNode) v;
                    for (int i = 0; i < arr.size(); i++) {
                        arr.set(i, in.textNode(presign(job, arr.get(i).asText(), validity)));
                    }
                } else {
                    in.put(field.name(), presign(job, v.asText(), validity));
                }
            }
            return in;
        }

        private String presign(Job job, String ref, Duration validity) {
            String id = ref.substring(UploadService.REF_PREFIX.length());
            Upload upload = uploadRecords.find(id).filter(u -> u.tenant().equals(job.tenant()))
                    .orElseThrow(() -> new IllegalStateException("job " + job.id() + " names a missing upload " + id));
            return inputs.urlFor(upload, validity);
        }

        private static String abbreviate(String s) {
            if (s == null) {
                return "";
            }
            return s.length() > 500 ? s.substring(0, 500) + "..." : s;
        }
    }
}
