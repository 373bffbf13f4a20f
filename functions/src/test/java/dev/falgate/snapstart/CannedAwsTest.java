package dev.falgate.snapstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.http.Json;
import dev.falgate.jobs.Job;
import dev.falgate.jobs.JobEventSink;
import dev.falgate.jobs.JobRepository;
import dev.falgate.storage.BlobStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

class CannedAwsTest {
    @Test
    void writesAndReadsRunThroughTheSdkWithoutLeavingTheJvm() {
        CannedAws aws = new CannedAws();
        JobRepository jobs = new JobRepository(aws.dynamoDb(), "primer", 1, JobEventSink.NONE);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Job job = Job.create("job_x", "t", "fal-ai/m", Json.object(), Json.object(), now, now.plusSeconds(60), now);

        jobs.create(job);
        assertThat(jobs.find("job_x")).get().extracting(Job::id).isEqualTo("job_x");
        aws.sqs().sendMessage(SendMessageRequest.builder().queueUrl("https://sqs.us-east-1.amazonaws.com/0/q")
                .messageBody("{}").build());
        new BlobStore(aws.s3(), aws.presigner(), "b").put("k", new byte[] {1}, "application/octet-stream");

        assertThat(aws.requests()).anyMatch(r -> r.endsWith("DynamoDB_20120810.PutItem"))
                .anyMatch(r -> r.endsWith("DynamoDB_20120810.GetItem"))
                .anyMatch(r -> r.endsWith("AmazonSQS.SendMessage"))
                .anyMatch(r -> r.startsWith("PUT /b/k"));
    }
}
