package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.config.TestHooks;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
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
import dev.falgate.uploads.UploadService;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
    private final JobTiming timing;
    private final TestHooks hooks;
    private final Clock clock;

    public SubmitService(InputValidator validator, UploadService uploads, JobRepository jobs,
            FalSubmitter submitter, PollScheduler polls, UrlFetcher fetcher, Ids ids, JobTiming timing,
            TestHooks hooks, Clock clock) {
        this.validator = validator;
        this.uploads = uploads;
        this.jobs = jobs;
        this.submitter = submitter;
        this.polls = polls;
        this.fetcher = fetcher;
        this.ids = ids;
        this.timing = timing;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Validates, stores and sends a job. {@code reserved} hears the job's id once the input is
     * valid and just before the job is written, so an idempotent retry after any later failure
     * finds the job (or writes it under the same id).
     */
    public Job submit(String tenant, JsonNode body, String apiOrigin, Consumer<String> reserved) {
        return submit(tenant, body, apiOrigin, ids.job(), reserved);
    }

    private Job submit(String tenant, JsonNode body, String apiOrigin, String jobId, Consumer<String> reserved) {
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
            reserved.accept(jobId);
            return createAndSubmit(jobId, tenant, v, input, apiOrigin);
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

    private Job createAndSubmit(String jobId, String tenant, InputValidator.Checked v, ObjectNode input,
            String apiOrigin) {
        Instant now = clock.instant();
        ModelSpec model = v.model();
        Job job = Job.create(jobId, tenant, model.id(), input, v.metadata(), now,
                timing.deadline(model.category(), now), timing.sweepAt(now));
        job.setWebhookUrl(submitter.webhookUrl(job.id(), apiOrigin));
        if (!jobs.createIfAbsent(job)) {
            return resume(tenant, null, apiOrigin, jobId); // an idempotent retry wrote it first
        }
        // A crash from here until the claim below leaves the job in the sweep index: the sweeper
        // schedules its poll, and the poll path sends it. Nothing is lost in this window.
        hooks.afterJobWrite();
        polls.first(job.id(), model.category().typicalSeconds());
        return submitter.dispatch(job, "submit");
    }

    /**
     * Replays an idempotent submit whose first attempt reserved {@code jobId}: the job as it is;
     * one that no sender ever claimed is scheduled and sent now; one that was never written
     * (the first attempt died just before) is written now from the same body.
     */
    public Job resume(String tenant, JsonNode body, String apiOrigin, String jobId) {
        java.util.Optional<Job> found = jobs.find(tenant, jobId);
        if (found.isEmpty()) {
            if (body == null) {
                throw ApiException.notFound("job");
            }
            return submit(tenant, body, apiOrigin, jobId, id -> { });
        }
        Job job = found.get();
        if (job.submitState() != Job.SubmitState.PENDING || job.sweepAt() == null) {
            return job;
        }
        polls.first(job.id(), 0);
        return submitter.dispatch(job, "submit");
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
}
