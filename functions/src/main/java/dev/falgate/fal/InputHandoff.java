package dev.falgate.fal;

import dev.falgate.uploads.Upload;
import java.time.Duration;

/** How fal gets an input file: the URL it reads it from. */
public interface InputHandoff {
    /**
     * @param validity how long fal may need the URL: until the job's deadline, since fal reads
     *     inputs when the job starts, which can be long after submit
     */
    String urlFor(Upload upload, Duration validity);
}
