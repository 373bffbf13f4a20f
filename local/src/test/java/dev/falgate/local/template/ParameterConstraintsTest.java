package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.falgate.local.testing.TestPaths;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local runner refuses a parameter value that a CloudFormation deploy of template.yaml would refuse. */
class ParameterConstraintsTest {
    private static TemplateModel real(Map<String, String> overrides) {
        return TemplateModel.load(TestPaths.repoTemplate(), StackContext.local(URI.create("http://127.0.0.1:9"), overrides));
    }

    @Test
    void aVisibilityBelowTheConsumersTimeoutIsRefusedAsADeployWouldRefuseIt() {
        assertThatThrownBy(() -> real(Map.of("PollVisibilityTimeout", "3"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("PollVisibilityTimeout=3 is below its MinValue 120");
        assertThatThrownBy(() -> real(Map.of("FinishVisibilityTimeout", "899"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("MinValue 900");
        assertThatThrownBy(() -> real(Map.of("PollVisibilityTimeout", "43201"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("MaxValue 43200");
        assertThatThrownBy(() -> real(Map.of("PollVisibilityTimeout", "soon"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("is not a number");
        assertThat(real(Map.of("PollVisibilityTimeout", "120")).queue("PollQueue").attributes())
                .containsEntry("VisibilityTimeout", "120");
    }

    @Test
    void logRetentionTakesOnlyTheDaysCloudWatchAccepts() {
        assertThatThrownBy(() -> real(Map.of("LogRetentionDays", "10"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("LogRetentionDays=10 is not one of");
        assertThat(real(Map.of("LogRetentionDays", "3653")).parameters()).containsEntry("LogRetentionDays", "3653");
    }

    @Test
    void theAlarmAddressIsEmptyOrAnAddress() {
        assertThat(real(Map.of("AlarmEmail", "ops@example.com")).parameters()).containsEntry("AlarmEmail", "ops@example.com");
        assertThat(real(Map.of()).parameters()).containsEntry("AlarmEmail", "");
        assertThatThrownBy(() -> real(Map.of("AlarmEmail", "ops at example"))).isInstanceOf(TemplateException.class)
                .hasMessageContaining("AllowedPattern");
    }

    @Test
    void stringLengthsAreChecked() {
        Map<String, Object> spec = Map.of("Type", "String", "MinLength", 2, "MaxLength", 3);

        assertThatThrownBy(() -> ParameterConstraints.check("P", spec, "a")).hasMessageContaining("MinLength 2");
        assertThatThrownBy(() -> ParameterConstraints.check("P", spec, "abcd")).hasMessageContaining("MaxLength 3");
        ParameterConstraints.check("P", spec, "abc");
    }
}
