package dev.falgate.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.config.TestHooks;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
import dev.falgate.http.ApiException;
import dev.falgate.ingest.UrlFetcher;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobRepository;
import dev.falgate.poller.PollScheduler;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadRepository;
import dev.falgate.uploads.UploadService;
import dev.falgate.jobs.JobFile;
import java.util.List;
import java.time.Clock;
import java.time.Instant;
import dev.falgate.jobs.WebhookSubscription;
import dev.falgate.webhooks.WebhookRequests;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code POST /v1/jobs}: validate, store the inputs, write the job, hand it to fal's queue
 * with our webhook, and schedule the first poll. Nothing is stored and nothing reaches fal
 * for a request that fails validation.
 */
public final class SubmitService {
    private final InputValidator validator;
    private final InputFiles inputFiles;
    private final WebhookRequests webhooks;
    private final JobRepository jobs;
    private final FalSubmitter submitter;
    private final PollScheduler polls;
    private final Ids ids;
    private final JobTiming timing;
    private final TestHooks hooks;
    private final Clock clock;

    public SubmitService(InputValidator validator, UploadService uploads, JobRepository jobs,
            FalSubmitter submitter, PollScheduler polls, UrlFetcher fetcher, WebhookRequests webhooks, Ids ids,
            JobTiming timing, TestHooks hooks, Clock clock) {
        this.validator = validator;
        this.inputFiles = new InputFiles(uploads, fetcher);
        this.webhooks = webhooks;
        this.jobs = jobs;
        this.submitter = submitter;
        this.polls = polls;
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
        Optional<WebhookSubscription> webhook = webhooks.parse(body, v.errors());
        // closing deletes the fetched URL inputs' temp files, whatever happens below
        try (InputFiles.Checked files = inputFiles.check(tenant, v)) {
            ObjectNode input = v.input();
            List<JobFile> inputFiles = files.storeInto(tenant, input);
            reserved.accept(jobId);
            return createAndSubmit(jobId, tenant, v, input, webhook, inputFiles, files.unrecorded(), apiOrigin);
        }
    }

    private Job createAndSubmit(String jobId, String tenant, InputValidator.Checked v, ObjectNode input,
            Optional<WebhookSubscription> webhook, List<JobFile> inputFiles, List<Upload> newUploads, String apiOrigin) {
        Instant now = clock.instant();
        ModelSpec model = v.model();
        Job job = Job.create(jobId, tenant, model.id(), input, v.metadata(), now,
                timing.deadline(model.category(), now), timing.sweepAt(now, timing.deadline(model.category(), now)));
        // the URL names tenant and model so the callback can copy before it writes; a job with a partner
        // webhook is ended by a write that adds its event, so its callback records first (no scope)
        job.setWebhookUrl(webhook.isPresent() ? submitter.webhookUrl(job.id(), apiOrigin)
                : submitter.webhookUrl(job.id(), new dev.falgate.fal.WebhookTokens.Scope(tenant, model.id()), apiOrigin));
        job.setInputFiles(inputFiles);
        webhook.ifPresent(job::subscribe); // job.queued, if wanted, leaves with the write below
        // the job and the records of the uploads its submit stored: one write, all or none
        if (!jobs.createIfAbsent(job, newUploads.stream().map(UploadRepository::item).toList())) {
            return resume(tenant, null, apiOrigin, jobId); // an idempotent retry wrote it first
        }
        // A crash from here until the claim below leaves the job in the sweep index: the sweeper
        // schedules its poll, and the poll path sends it. Nothing is lost in this window.
        hooks.afterJobWrite();
        if (job.webhookUrl() != null) {
            return dispatchWithoutPoll(job, model);
        }
        polls.first(job.id(), model.category().typicalSeconds());
        return submitter.dispatch(job, "submit");
    }

    /**
     * A job sent with our webhook gets no poll message (two AWS calls fewer: the message and the
     * poll's read): it stays in the sweep index until it ends, due when its webhook is overdue,
     * and the sweeper starts its poll chain should the webhook never come. A send that did not
     * go through (refused for now, uncertain) gets its first poll at once; a crash anywhere
     * leaves the job to the sweeper.
     */
    private Job dispatchWithoutPoll(Job job, ModelSpec model) {
        Instant now = clock.instant();
        FalSubmitter.SweepTimes sweep = new FalSubmitter.SweepTimes(timing.sweepAt(now, job.deadlineAt()),
                timing.sweepAwaitingWebhook(model.category(), now));
        Job after = submitter.dispatchKeepingSweep(job, "submit", sweep);
        if (after.falRequestId() == null && !after.status().terminal()) {
            polls.first(job.id(), model.category().typicalSeconds());
        }
        return after;
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
}
