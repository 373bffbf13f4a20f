package dev.falgate.local.template;

import java.util.List;
import java.util.Map;

/** An {@code AWS::Serverless::Function} with Globals applied and its environment resolved. */
public record FunctionDef(String logicalId, String functionName, String handlerClass, String handlerMethod,
        int timeoutSeconds, int memoryMb, Map<String, String> environment, List<HttpRouteDef> routes,
        List<SqsEventDef> sqsEvents, List<ScheduleEventDef> schedules) {

    public FunctionDef {
        environment = Map.copyOf(environment);
        routes = List.copyOf(routes);
        sqsEvents = List.copyOf(sqsEvents);
        schedules = List.copyOf(schedules);
    }
}
