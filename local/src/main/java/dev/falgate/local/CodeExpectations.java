package dev.falgate.local;

import dev.falgate.jobs.JobRepository;
import dev.falgate.local.template.Expectations;
import dev.falgate.local.template.Expectations.TableExpectation;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What falgate's code expects of template.yaml, taken from the code's own constants where it
 * exposes them ({@link JobRepository#PARTITION_KEY}, {@link JobRepository#SORT_KEY},
 * {@link JobRepository#INDEXES}, {@link JobRepository#INDEX_KEYS}, {@link JobRepository#TTL_ATTRIBUTE},
 * each handler's {@code ROUTES}).
 */
public final class CodeExpectations {
    /** ARCHITECTURE.md "Environment (the config contract)": what every function reads. */
    public static final List<String> REQUIRED_ENVIRONMENT = List.of("JOBS_TABLE", "FILES_BUCKET", "POLL_QUEUE_URL", "FINISH_QUEUE_URL",
            "FAL_QUEUE_BASE_URL", "FAL_JWKS_URL", "FAL_KEY_SECRET_ID", "CURSOR_SECRET_ID", "WEBHOOK_BASE_URL",
            "FAL_CDN_HOSTS", "RETENTION_DAYS", "WEBHOOK_SECRET_ID", "FAL_USER_ID");

    private CodeExpectations() {
    }

    /** Everything from the code: table key, index names and key schemas, TTL attribute, routes. */
    public static Expectations falgate() {
        return withIndexKeys(JobRepository.INDEX_KEYS, JobRepository.TTL_ATTRIBUTE);
    }

    /** The same, with index keys and TTL attribute given by the caller. */
    public static Expectations withIndexKeys(Map<String, List<String>> indexKeys, String ttlAttribute) {
        Map<String, List<String>> indexes = JobRepository.INDEXES.stream()
                .collect(Collectors.toMap(i -> i, i -> indexKeys.getOrDefault(i, List.of())));
        return new Expectations(Map.of("JOBS_TABLE", new TableExpectation(JobRepository.PARTITION_KEY,
                JobRepository.SORT_KEY, indexes, ttlAttribute)), REQUIRED_ENVIRONMENT);
    }
}
