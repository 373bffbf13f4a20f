package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.Catalog;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalException;
import dev.falgate.fal.InputHandoff;
import dev.falgate.ingest.UrlFetcher;
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
import java.util.Optional;

/**
 * {@code POST /v1/jobs}: validate, store the inputs, write the job, hand it to fal's queue
 * with our webhook, and schedule the first poll. Nothing is stored and nothing reaches fal
 * for a request that fails validation.
 */
public final class SubmitService {
    private final InputValidator validator;
    private final InputFiles inputFiles;
    private final JobRepository jobs;
    private final FalSubmitter submitter;
    private final PollScheduler polls;
    private final Ids ids;
    private final Clock clock;

    public SubmitService(InputValidator validator, UploadService uploads, JobRepository jobs,
            FalSubmitter submitter, PollScheduler polls, UrlFetcher fetcher, Ids ids, Clock clock) {
        this.validator = validator;
        this.inputFiles = new InputFiles(uploads, fetcher);
        this.jobs = jobs;
        this.submitter = submitter;
        this.polls = polls;
        this.ids = ids;
        this.clock = clock;
    }

    public Job submit(String tenant, JsonNode body, String apiOrigin) {
        InputValidator.Checked v = validator.check(body);
        // closing deletes the fetched URL inputs' temp files, whatever happens below
        try (InputFiles.Checked files = inputFiles.check(tenant, v)) {
            ObjectNode input = v.input();
            files.storeInto(tenant, input);
            return createAndSubmit(tenant, v, input, apiOrigin);
        }
    }

    private Job createAndSubmit(String tenant, InputValidator.Checked v, ObjectNode input, String apiOrigin) {
        Instant now = clock.instant();
        ModelSpec model = v.model();
        Job job = Job.create(ids.job(), tenant, model.id(), input, v.metadata(), now,
                now.plus(Duration.ofSeconds(model.category().deadlineSeconds())));
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
