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

    public static String resultPrefix(String jobId) {
        return "results/" + jobId + "/";
    }

    public static String resultKey(String jobId) {
        return resultPrefix(jobId) + "fal.json";
    }
}
