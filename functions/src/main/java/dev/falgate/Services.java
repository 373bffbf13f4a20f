package dev.falgate;

import dev.falgate.auth.ApiKeyStore;
import dev.falgate.auth.Authenticator;
import dev.falgate.auth.BrowserTokens;
import dev.falgate.proxy.FalProxyApi;
import dev.falgate.proxy.FalProxyService;
import dev.falgate.read.JobWaiter;
import dev.falgate.callback.CallbackService;
import dev.falgate.catalog.Catalog;
import dev.falgate.config.AwsClients;
import dev.falgate.config.SecretSource;
import dev.falgate.config.Settings;
import dev.falgate.config.TestHooks;
import dev.falgate.dispatch.FalSubmitter;
import dev.falgate.dispatch.JobTiming;
import dev.falgate.fal.WebhookTokens;
import dev.falgate.fal.FalClient;
import dev.falgate.fal.FalStorage;
import dev.falgate.fal.InputHandoff;
import dev.falgate.fal.WebhookVerifier;
import dev.falgate.idempotency.Idempotency;
import dev.falgate.ingest.FetchLimits;
import dev.falgate.ingest.SafeDnsResolver;
import dev.falgate.ingest.UrlFetcher;
import java.util.Set;
import dev.falgate.jobs.Ids;
import dev.falgate.jobs.JobEventSink;
import dev.falgate.jobs.JobRepository;
import dev.falgate.ingest.GuardedPoster;
import dev.falgate.webhooks.WebhookApi;
import dev.falgate.webhooks.WebhookDeliveryService;
import dev.falgate.webhooks.WebhookQueue;
import dev.falgate.webhooks.WebhookRequests;
import dev.falgate.webhooks.WebhookSecrets;
import dev.falgate.jobs.JobView;
import dev.falgate.jobs.ResultRecorder;
import dev.falgate.poller.JobFinisher;
import dev.falgate.poller.PollScheduler;
import dev.falgate.poller.PollService;
import dev.falgate.progress.ProgressService;
import dev.falgate.read.Cursors;
import dev.falgate.read.JobQueries;
import dev.falgate.storage.BlobStore;
import dev.falgate.outputs.OutputCollector;
import dev.falgate.submit.CancelService;
import dev.falgate.submit.InputValidator;
import dev.falgate.submit.SubmitService;
import dev.falgate.uploads.UploadRepository;
import dev.falgate.uploads.UploadService;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Wires the production object graph from the environment, building each piece on first use
 * so a function only pays (at cold start) for the clients it needs. No DI framework.
 */
public final class Services {
    private final Settings settings;
    private final Clock clock = Clock.systemUTC();
    private final AwsClients aws;

    private final Supplier<DynamoDbClient> ddb;
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final Supplier<SqsClient> sqs;
    private final Supplier<SecretsManagerClient> secrets;
    /** Presigned GETs without the SDK presigner where it signs the same URL (a read's first request presigns). */
    private final Supplier<java.util.Optional<dev.falgate.storage.GetPresigner>> gets;
    private final Supplier<HttpClient> http = lazy(FalClient::defaultHttpClient);
    /** One cached secret each per container, however many services use it. */
    private final Supplier<SecretSource> falKey;
    private final Supplier<SecretSource> webhookSecret;

    public Services(Map<String, String> env) {
        this.settings = new Settings(env);
        this.aws = new AwsClients(settings);
        this.ddb = lazy(aws::dynamoDb);
        this.s3 = lazy(aws::s3);
        this.presigner = lazy(aws::presigner);
        this.sqs = lazy(aws::sqs);
        this.secrets = lazy(aws::secretsManager);
        this.gets = lazy(this::getPresigner);
        this.falKey = lazy(() -> SecretSource.from(settings, "FAL_KEY", "FAL_KEY_SECRET_ID", secrets));
        this.webhookSecret = lazy(() -> SecretSource.from(settings, "WEBHOOK_SECRET", "WEBHOOK_SECRET_ID", secrets));
    }

    public Settings settings() {
        return settings;
    }

    public Catalog catalog() {
        return Catalog.standard();
    }

    /** {@code /api/fal/proxy} and {@code POST /v1/tokens}; browser tokens are signed under the webhook secret (own purpose prefix). */
    public FalProxyApi falProxyApi() {
        JobRepository jobs = jobs();
        FalProxyService service = new FalProxyService(catalog(), submitService(), jobs, jobView(), cancelService(),
                progressService(), new JobWaiter(jobs, clock), uploads());
        return new FalProxyApi(new ApiKeyStore(ddb.get(), settings.jobsTable(), clock),
                new BrowserTokens(webhookSecret.get(), clock), catalog(), service);
    }

    public Authenticator authenticator() {
        return new Authenticator(new ApiKeyStore(ddb.get(), settings.jobsTable(), clock), clock);
    }

    /** Jobs whose stored transitions put partner-webhook events on the webhook queue (where the function has it). */
    public JobRepository jobs() {
        return new JobRepository(ddb.get(), settings.jobsTable(), settings.retentionDays(),
                settings.webhookQueueUrl().isPresent() ? webhookQueue() : JobEventSink.NONE);
    }

    public WebhookQueue webhookQueue() {
        return webhookQueue(settings.optional("WEBHOOK_DEAD_LETTER_QUEUE_URL").orElse(""));
    }

    private WebhookQueue webhookQueue(String deadLetterQueueUrl) {
        return new WebhookQueue(sqs, settings.webhookQueueUrl().orElseThrow(), deadLetterQueueUrl, clock);
    }

    /** Partner-webhook targets: public https only; loopback (http too) only where the local stack allows it. */
    public GuardedPoster webhookPoster() {
        SafeDnsResolver resolver = new SafeDnsResolver();
        boolean loopback = settings.webhookAllowLoopback();
        return new GuardedPoster(loopback ? resolver.allowingLoopbackAddresses() : resolver, loopback,
                GuardedPoster.DEFAULT_TIMEOUT);
    }

    public WebhookSecrets webhookSecrets() {
        return new WebhookSecrets(ddb.get(), settings.jobsTable(), clock);
    }

    public WebhookApi webhookApi() {
        return new WebhookApi(webhookSecrets(), jobs(), webhookQueue(), clock);
    }

    public WebhookDeliveryService webhookDeliveries() {
        return new WebhookDeliveryService(jobs(), jobView(), webhookSecrets(), webhookPoster(),
                webhookQueue(settings.webhookDeadLetterQueueUrl()),
                settings::scaled, clock);
    }

    public BlobStore blobs() {
        BlobStore blobs = new BlobStore(s3, presigner, settings.filesBucket());
        return gets.get().map(blobs::withGets).orElse(blobs);
    }

    /** Same endpoint, region and credentials provider as the SDK clients; credentials resolved on each signature. */
    private java.util.Optional<dev.falgate.storage.GetPresigner> getPresigner() {
        return dev.falgate.storage.GetPresigner.forBucket(() -> aws.credentialsProvider().resolveCredentials(), aws.regionId(),
                aws.presignEndpoint(), settings.s3PathStyle(), settings.filesBucket(), System.getenv(), clock);
    }

    public UploadRepository uploadRecords() {
        return new UploadRepository(ddb.get(), settings.jobsTable());
    }

    public UploadService uploads() {
        return new UploadService(uploadRecords(), blobs(), new Ids(clock), clock);
    }

    public FalClient fal() {
        return new FalClient(http, settings.falQueueBaseUrl(), falKey(), timing().falRequestTimeout())
                .withSubmitHeaders(dev.falgate.fal.FalRetention.from(settings).submitHeaders());
    }

    public JobTiming timing() {
        return JobTiming.from(settings);
    }

    /** The per-job webhook tokens, under the stack's webhook secret. */
    public WebhookTokens webhookTokens() {
        return new WebhookTokens(webhookSecret.get());
    }

    public PollScheduler polls() {
        return new PollScheduler(sqs, settings.pollQueueUrl(), settings.finishQueueUrl(), settings);
    }

    public FalSubmitter falSubmitter() {
        return new FalSubmitter(fal(), jobs(), inputHandoff(), catalog(), uploadRecords(),
                settings.webhookBaseUrl(), webhookTokens(), settings.falQueueBaseUrl(), clock);
    }

    /** Presigned GETs of our bucket; or, where fal cannot reach the bucket, fal's own storage. */
    public InputHandoff inputHandoff() {
        if (settings.falInputStorage()) {
            return new FalStorage(http.get(), settings.falRestBaseUrl(), falKey(), blobs());
        }
        BlobStore blobs = blobs();
        return (upload, validity) -> blobs.presignGet(upload.key(), validity).toString();
    }

    private SecretSource falKey() {
        return falKey.get();
    }

    public SubmitService submitService() {
        return new SubmitService(new InputValidator(catalog()), uploads(), jobs(), falSubmitter(), polls(),
                urlFetcher(), new WebhookRequests(webhookPoster()), new Ids(clock), timing(), TestHooks.from(settings), clock);
    }

    /** The SSRF-guarded fetcher for https:// inputs; named loopback hosts only where tests allow them. */
    public UrlFetcher urlFetcher() {
        SafeDnsResolver resolver = new SafeDnsResolver();
        Set<String> loopbackHosts = settings.fetchLoopbackHosts();
        FetchLimits limits = settings.fetchBudget().map(FetchLimits.DEFAULTS::withTotalTimeout).orElse(FetchLimits.DEFAULTS);
        return new UrlFetcher(limits,
                loopbackHosts.isEmpty() ? resolver : resolver.allowingLoopbackHosts(loopbackHosts));
    }

    public Idempotency idempotency() {
        return new Idempotency(ddb.get(), settings.jobsTable(), clock);
    }

    public CancelService cancelService() {
        return new CancelService(jobs(), fal(), clock);
    }

    public ProgressService progressService() {
        return new ProgressService(jobs(), ddb.get(), settings.jobsTable(), fal(), clock);
    }

    public JobView jobView() {
        return new JobView(blobs(), clock);
    }

    public JobQueries jobQueries() {
        SecretSource cursorKey = SecretSource.from(settings, "CURSOR_SECRET", "CURSOR_SECRET_ID", secrets);
        return new JobQueries(jobs(), jobView(), new Cursors(cursorKey), catalog());
    }

    public ResultRecorder results() {
        return new ResultRecorder(jobs(), blobs(), clock,
                settings.resultInlineMaxChars().orElse(ResultRecorder.MAX_INLINE_CHARS));
    }

    public CallbackService callbackService() {
        WebhookVerifier verifier = new WebhookVerifier(settings.falJwksUrl(), clock);
        dev.falgate.poller.ImmediateFinish finish = new dev.falgate.poller.ImmediateFinish(finisher(), polls(), catalog());
        return new CallbackService(webhookTokens(), settings.falUserId(), verifier, jobs(), results(), polls(),
                settings.falQueueBaseUrl(), clock, finish);
    }

    public PollService pollService() {
        return new PollService(jobs(), fal(), results(), finisher(), falSubmitter(), polls(), timing(), clock);
    }

    private JobFinisher finisher() {
        OutputCollector outputs = new OutputCollector(blobs(), http, settings.falCdnHosts(),
                settings.downloadIdleTimeout());
        return new JobFinisher(jobs(), results(), outputs, blobs(), clock);
    }

    private static <T> Supplier<T> lazy(Supplier<T> factory) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = factory.get();
                }
                return value;
            }
        };
    }
}
