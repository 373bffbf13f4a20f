package dev.falgate.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.falgate.local.LocalAws;
import dev.falgate.local.emulators.SqsEmulator;
import dev.falgate.local.template.StackContext;
import dev.falgate.local.template.TemplateModel;
import dev.falgate.local.testing.TestPaths;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A test shortens redelivery with the runner's own cap (FALGATE_LOCAL_VISIBILITY_TIMEOUT), not
 * with a parameter value a deploy would refuse: queues above the cap get it, the others keep theirs.
 */
class VisibilityTimeoutCapTest {
    @Test
    void queuesAboveTheCapAreCappedAndTheOthersKeepTheTemplatesValue() {
        try (SqsEmulator emulator = SqsEmulator.start(0, null, StackContext.LOCAL_REGION, StackContext.LOCAL_ACCOUNT);
                SqsClient sqs = LocalAws.sqs(emulator.endpoint())) {
            TemplateModel template = TemplateModel.load(TestPaths.repoTemplate(),
                    StackContext.local(emulator.endpoint(), Map.of()));
            Provisioner provisioner = new Provisioner(template, null, sqs, null).visibilityTimeoutCap(Optional.of(200));
            Provisioner.queuesInDependencyOrder(template.queues()).forEach(provisioner::queue);

            assertThat(visibility(sqs, template, "PollQueue")).isEqualTo("200");
            assertThat(visibility(sqs, template, "FinishQueue")).isEqualTo("200");
            assertThat(visibility(sqs, template, "WebhookQueue")).as("180 is below the cap").isEqualTo("180");
        }
    }

    private static String visibility(SqsClient sqs, TemplateModel template, String queue) {
        String url = sqs.getQueueUrl(r -> r.queueName(template.physicalName(queue))).queueUrl();
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT))
                .attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT);
    }
}
