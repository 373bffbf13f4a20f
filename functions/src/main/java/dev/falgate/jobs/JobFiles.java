package dev.falgate.jobs;

/** Where a job's files live in the bucket: one prefix for its outputs, one for fal's raw result. */
public final class JobFiles {
    /**
     * How a stored output names one of our copies ({@code falgate-file:<field path>}): presigned
     * URLs expire, so {@link JobView} puts a fresh one in its place on every read.
     */
    public static final String PLACEHOLDER = "falgate-file:";

    private JobFiles() {
    }

    public static String outputPrefix(String tenant, String jobId) {
        return "outputs/" + tenant + "/" + jobId + "/";
    }

    /**
     * Where the outputs of fal request {@code requestId} of the job are copied: under the job's
     * prefix, one folder per request, so a copy made before the request is checked (the
     * callback's) can never overwrite another request's files. Null request: the job's prefix.
     */
    public static String outputPrefix(String tenant, String jobId, String requestId) {
        String job = outputPrefix(tenant, jobId);
        return requestId == null ? job : job + requestId.replaceAll("[^A-Za-z0-9_-]", "_") + "/";
    }

    public static String resultPrefix(String jobId) {
        return "results/" + jobId + "/";
    }

    public static String resultKey(String jobId) {
        return resultPrefix(jobId) + "fal.json";
    }
}
