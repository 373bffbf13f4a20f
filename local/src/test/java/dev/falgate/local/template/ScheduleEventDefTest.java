package dev.falgate.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleEventDefTest {
    @Test
    void rateExpressionsHaveALocalPeriod() {
        assertThat(ScheduleEventDef.parse("F", "E", "rate(2 minutes)").rate()).isEqualTo(Duration.ofMinutes(2));
        assertThat(ScheduleEventDef.parse("F", "E", "rate(1 hour)").rate()).isEqualTo(Duration.ofHours(1));
        assertThat(ScheduleEventDef.parse("F", "E", "rate(1 day)").rate()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aCronExpressionIsRefusedByName() {
        assertThatThrownBy(() -> ScheduleEventDef.parse("F", "E", "cron(0 12 * * ? *)"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("F.E").hasMessageContaining("cron(0 12");
    }
}
