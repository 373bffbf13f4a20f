package dev.falgate.local.template;

import dev.falgate.local.template.BucketDef.CorsRule;
import dev.falgate.local.template.TableDef.IndexDef;
import dev.falgate.local.template.TableDef.KeyElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * template.yaml as the local stack sees it: parameters, {@code Globals.Function}, and the tables,
 * queues, buckets, secrets and functions it declares, with intrinsics resolved against a
 * {@link StackContext}. It is the single source of truth: nothing here re-declares a resource.
 */
public final class TemplateModel {
    public static final String TABLE = "AWS::DynamoDB::Table";
    public static final String QUEUE = "AWS::SQS::Queue";
    public static final String BUCKET = "AWS::S3::Bucket";
    public static final String SECRET = "AWS::SecretsManager::Secret";
    public static final String FUNCTION = "AWS::Serverless::Function";
    public static final String HTTP_API = "AWS::Serverless::HttpApi";

    private static final int DEFAULT_TIMEOUT_SECONDS = 3;
    private static final int DEFAULT_MEMORY_MB = 128;

    private final Map<String, Object> document;
    private final StackContext context;
    private final Map<String, String> parameters;
    private final Map<String, Boolean> conditions = new ConcurrentHashMap<>();
    private final IntrinsicResolver resolver;

    private TemplateModel(Map<String, Object> document, StackContext context) {
        this.document = document;
        this.context = context;
        this.parameters = resolveParameters();
        this.resolver = new IntrinsicResolver(new Names());
    }

    public static TemplateModel load(Path template, StackContext context) {
        try {
            return parse(Files.readString(template), context);
        } catch (IOException e) {
            throw new TemplateException("cannot read " + template, e);
        }
    }

    public static TemplateModel parse(String yaml, StackContext context) {
        Object root;
        try {
            root = new Yaml(new CfnYamlConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new TemplateException("template is not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> map) || !map.containsKey("Resources")) {
            throw new TemplateException("not a CloudFormation template: no Resources");
        }
        return new TemplateModel(Yamls.stringKeys(map), context);
    }

    /** The same template bound to another context (e.g. once the SQS emulator's port is known). */
    public TemplateModel withContext(StackContext other) {
        return new TemplateModel(document, other);
    }

    public StackContext context() {
        return context;
    }

    /** Parameter values: defaults, then overrides. */
    public Map<String, String> parameters() {
        return parameters;
    }

    public String resourceType(String logicalId) {
        return String.valueOf(resource(logicalId).get("Type"));
    }

    public List<String> resourcesOfType(String type) {
        return resources().entrySet().stream()
                .filter(e -> type.equals(Yamls.map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    /** Resolves any part of the template (intrinsics evaluated, {@code AWS::NoValue} dropped). */
    public Object resolve(Object node) {
        return resolver.resolve(node);
    }

    public List<FunctionDef> functions() {
        return resourcesOfType(FUNCTION).stream().map(this::function).toList();
    }

    public FunctionDef function(String logicalId) {
        Map<String, Object> globals = Yamls.map(Yamls.map(document.get("Globals")).get("Function"));
        Map<String, Object> props = rawProperties(logicalId);
        String[] handler = resolver.resolveString(props.get("Handler")).split("::", 2);
        Map<String, Object> events = Yamls.map(props.get("Events"));
        return new FunctionDef(logicalId, physicalName(logicalId), handler[0],
                handler.length > 1 ? handler[1] : "handleRequest",
                intProperty(props, globals, "Timeout", DEFAULT_TIMEOUT_SECONDS),
                intProperty(props, globals, "MemorySize", DEFAULT_MEMORY_MB),
                environment(globals, props),
                events(logicalId, events, "HttpApi", this::httpRoute),
                events(logicalId, events, "SQS", this::sqsEvent),
                events(logicalId, events, "Schedule", (fn, name, p) ->
                        ScheduleEventDef.parse(fn, name, String.valueOf(p.get("Schedule")))));
    }

    public List<HttpRouteDef> routes() {
        return functions().stream().flatMap(f -> f.routes().stream()).toList();
    }

    public List<TableDef> tables() {
        return resourcesOfType(TABLE).stream().map(this::table).toList();
    }

    public TableDef table(String logicalId) {
        Map<String, Object> props = resolvedProperties(logicalId);
        Map<String, String> types = new LinkedHashMap<>();
        Yamls.list(props.get("AttributeDefinitions")).forEach(d -> types.put(
                Yamls.string(d, "AttributeName"), Yamls.string(d, "AttributeType")));
        List<IndexDef> indexes = Yamls.list(props.get("GlobalSecondaryIndexes")).stream().map(i -> {
            Map<String, Object> projection = Yamls.map(Yamls.map(i).get("Projection"));
            return new IndexDef(Yamls.string(i, "IndexName"), keySchema(Yamls.map(i).get("KeySchema")),
                    String.valueOf(projection.getOrDefault("ProjectionType", "ALL")),
                    Yamls.strings(projection.get("NonKeyAttributes")));
        }).toList();
        Map<String, Object> ttl = Yamls.map(props.get("TimeToLiveSpecification"));
        String ttlAttribute = Boolean.parseBoolean(String.valueOf(ttl.get("Enabled")))
                ? String.valueOf(ttl.get("AttributeName")) : null;
        return new TableDef(logicalId, physicalName(logicalId), keySchema(props.get("KeySchema")), types, indexes,
                String.valueOf(props.getOrDefault("BillingMode", "PROVISIONED")), ttlAttribute);
    }

    public List<QueueDef> queues() {
        return resourcesOfType(QUEUE).stream().map(this::queue).toList();
    }

    public QueueDef queue(String logicalId) {
        Map<String, Object> props = resolvedProperties(logicalId);
        Map<String, String> attributes = QueueAttributes.fromProperties(props);
        Optional<String> deadLetter = QueueAttributes.deadLetterArn(props)
                .map(arn -> queueByArn(arn).orElseThrow(() -> new TemplateException(
                        logicalId + " RedrivePolicy targets an unknown queue " + arn)));
        return new QueueDef(logicalId, physicalName(logicalId), queueArn(logicalId), attributes, deadLetter);
    }

    public List<BucketDef> buckets() {
        return resourcesOfType(BUCKET).stream().map(this::bucket).toList();
    }

    public BucketDef bucket(String logicalId) {
        Map<String, Object> cors = Yamls.map(resolvedProperties(logicalId).get("CorsConfiguration"));
        List<CorsRule> rules = Yamls.list(cors.get("CorsRules")).stream().map(r -> corsRule(Yamls.map(r),
                "AllowedOrigins", "AllowedMethods", "AllowedHeaders", "ExposedHeaders", "MaxAge")).toList();
        return new BucketDef(logicalId, physicalName(logicalId), rules);
    }

    /** The CORS rule of the (first) HTTP API, as API Gateway applies it; empty when none. */
    public Optional<CorsRule> httpApiCors() {
        return resourcesOfType(HTTP_API).stream()
                .map(id -> Yamls.map(resolvedProperties(id).get("CorsConfiguration")))
                .filter(c -> !c.isEmpty())
                .map(c -> corsRule(c, "AllowOrigins", "AllowMethods", "AllowHeaders", "ExposeHeaders", "MaxAge"))
                .findFirst();
    }

    /** Name a resource gets here: an explicit name property if given, else {@code <stack>-<LogicalId>}. */
    public String physicalName(String logicalId) {
        String type = resourceType(logicalId);
        Object explicit = switch (type) {
            case TABLE -> rawProperties(logicalId).get("TableName");
            case QUEUE -> rawProperties(logicalId).get("QueueName");
            case BUCKET -> rawProperties(logicalId).get("BucketName");
            case FUNCTION -> rawProperties(logicalId).get("FunctionName");
            case SECRET -> rawProperties(logicalId).get("Name");
            default -> null;
        };
        if (explicit != null) {
            return resolver.resolveString(explicit);
        }
        String generated = context.stackName() + "-" + logicalId;
        return type.equals(BUCKET) ? generated.toLowerCase(Locale.ROOT) : generated;
    }

    public String queueUrl(String logicalId) {
        return context.sqsEndpoint().toString().replaceAll("/+$", "") + "/" + context.accountId() + "/"
                + physicalName(logicalId);
    }

    public String queueArn(String logicalId) {
        return arn("sqs", physicalName(logicalId));
    }

    public Optional<String> queueByArn(String arn) {
        return resourcesOfType(QUEUE).stream().filter(q -> queueArn(q).equals(arn)).findFirst();
    }

    // ---- reading the document

    private Map<String, Object> resources() {
        return Yamls.map(document.get("Resources"));
    }

    private Map<String, Object> resource(String logicalId) {
        Object resource = resources().get(logicalId);
        if (resource == null) {
            throw new TemplateException("no resource " + logicalId + " in the template");
        }
        return Yamls.map(resource);
    }

    private Map<String, Object> rawProperties(String logicalId) {
        return Yamls.map(resource(logicalId).get("Properties"));
    }

    private Map<String, Object> resolvedProperties(String logicalId) {
        return Yamls.map(resolve(rawProperties(logicalId)));
    }

    private int intProperty(Map<String, Object> props, Map<String, Object> globals, String name, int fallback) {
        Object value = props.containsKey(name) ? props.get(name) : globals.get(name);
        return value == null ? fallback : Integer.parseInt(resolver.resolveString(value));
    }

    private Map<String, String> environment(Map<String, Object> globals, Map<String, Object> props) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Map<String, Object> source : List.of(globals, props)) {
            Map<String, Object> variables = Yamls.map(Yamls.map(source.get("Environment")).get("Variables"));
            variables.forEach((name, value) -> {
                String resolved = resolver.resolveString(value);
                if (resolved != null) {
                    env.put(name, resolved);
                }
            });
        }
        return env;
    }

    private <T> List<T> events(String functionId, Map<String, Object> events, String type,
            EventReader<T> reader) {
        List<T> out = new ArrayList<>();
        events.forEach((name, event) -> {
            Map<String, Object> e = Yamls.map(event);
            if (type.equals(e.get("Type"))) {
                out.add(reader.read(functionId, name, Yamls.map(resolve(e.get("Properties")))));
            }
        });
        return out;
    }

    private interface EventReader<T> {
        T read(String functionId, String eventName, Map<String, Object> properties);
    }

    private HttpRouteDef httpRoute(String functionId, String name, Map<String, Object> props) {
        String method = String.valueOf(props.getOrDefault("Method", "ANY")).toUpperCase(Locale.ROOT);
        return new HttpRouteDef(functionId, name, method.equals("*") ? "ANY" : method,
                String.valueOf(props.getOrDefault("Path", "/{proxy+}")));
    }

    private SqsEventDef sqsEvent(String functionId, String name, Map<String, Object> props) {
        String arn = String.valueOf(props.get("Queue"));
        String queueId = queueByArn(arn).orElseThrow(
                () -> new TemplateException(functionId + "." + name + " reads an unknown queue " + arn));
        boolean partial = Yamls.strings(props.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
        int batchSize = Integer.parseInt(String.valueOf(props.getOrDefault("BatchSize", 10)));
        Object concurrency = Yamls.map(props.get("ScalingConfig")).get("MaximumConcurrency");
        return new SqsEventDef(functionId, name, queueId, arn, batchSize, partial,
                concurrency == null ? 1 : Integer.parseInt(String.valueOf(concurrency)));
    }

    private static List<KeyElement> keySchema(Object schema) {
        return Yamls.list(schema).stream().map(k -> new KeyElement(Yamls.string(k, "AttributeName"),
                Yamls.string(k, "KeyType"))).toList();
    }

    private static CorsRule corsRule(Map<String, Object> c, String origins, String methods, String headers,
            String exposed, String maxAge) {
        Object age = c.get(maxAge);
        return new CorsRule(Yamls.strings(c.get(origins)), Yamls.strings(c.get(methods)),
                Yamls.strings(c.get(headers)), Yamls.strings(c.get(exposed)),
                age == null ? null : Integer.valueOf(String.valueOf(age)));
    }

    private String arn(String service, String resource) {
        return "arn:aws:" + service + ":" + context.region() + ":" + context.accountId() + ":" + resource;
    }

    // ---- parameters and conditions

    private Map<String, String> resolveParameters() {
        Map<String, Object> declared = Yamls.map(document.get("Parameters"));
        context.parameterOverrides().keySet().stream().filter(k -> !declared.containsKey(k)).findFirst()
                .ifPresent(k -> {
                    throw new TemplateException("parameter override " + k + " is not a template parameter");
                });
        Map<String, String> values = new LinkedHashMap<>();
        declared.forEach((name, spec) -> {
            Map<String, Object> p = Yamls.map(spec);
            String value = context.parameterOverrides().containsKey(name) ? context.parameterOverrides().get(name)
                    : p.containsKey("Default") ? String.valueOf(p.get("Default")) : null;
            if (value != null) {
                ParameterConstraints.check(name, p, value);
            }
            values.put(name, value);
        });
        return values;
    }

    /** Answers the resolver: Ref, GetAtt, conditions and mappings of this template in its context. */
    private final class Names implements IntrinsicResolver.Lookup {
        @Override
        public Object ref(String name) {
            switch (name) {
                case "AWS::Region":
                    return context.region();
                case "AWS::AccountId":
                    return context.accountId();
                case "AWS::Partition":
                    return "aws";
                case "AWS::URLSuffix":
                    return "amazonaws.com";
                case "AWS::StackName":
                    return context.stackName();
                case "AWS::StackId":
                    return arn("cloudformation", "stack/" + context.stackName() + "/local");
                case "AWS::NoValue":
                    return IntrinsicResolver.NO_VALUE;
                default:
                    return parameters.containsKey(name) ? requireValue(name) : resourceRef(name);
            }
        }

        private String requireValue(String parameter) {
            String value = parameters.get(parameter);
            if (value == null) {
                throw new TemplateException("parameter " + parameter + " has no default and no override");
            }
            return value;
        }

        private String resourceRef(String logicalId) {
            return switch (resourceType(logicalId)) {
                case QUEUE -> queueUrl(logicalId);
                case SECRET -> arn("secretsmanager", "secret:" + physicalName(logicalId));
                case HTTP_API -> "falgatelocal";
                default -> physicalName(logicalId);
            };
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            String type = resourceType(logicalId);
            String name = physicalName(logicalId);
            Map<String, Function<String, String>> attributes = switch (type) {
                case QUEUE -> Map.of("Arn", n -> queueArn(logicalId), "QueueName", n -> n,
                        "QueueUrl", n -> queueUrl(logicalId));
                case TABLE -> Map.of("Arn", n -> arn("dynamodb", "table/" + n));
                case BUCKET -> Map.of("Arn", n -> "arn:aws:s3:::" + n, "DomainName", n -> n + ".s3.amazonaws.com",
                        "RegionalDomainName", n -> n + ".s3." + context.region() + ".amazonaws.com");
                case FUNCTION -> Map.of("Arn", n -> arn("lambda", "function:" + n));
                case SECRET -> Map.of("Id", n -> resourceRef(logicalId));
                default -> Map.of();
            };
            Function<String, String> value = attributes.get(attribute);
            if (value == null) {
                throw new TemplateException("Fn::GetAtt " + logicalId + "." + attribute + " (" + type
                        + ") is not supported by the local stack");
            }
            return value.apply(name);
        }

        @Override
        public boolean condition(String name) {
            Boolean known = conditions.get(name);
            if (known == null) {
                Object definition = Yamls.map(document.get("Conditions")).get(name);
                if (definition == null) {
                    throw new TemplateException("no condition " + name);
                }
                known = Boolean.parseBoolean(String.valueOf(resolve(definition)));
                conditions.put(name, known);
            }
            return known;
        }

        @Override
        public Object findInMap(String map, String topKey, String secondKey) {
            Object value = Yamls.map(Yamls.map(Yamls.map(document.get("Mappings")).get(map)).get(topKey))
                    .get(secondKey);
            if (value == null) {
                throw new TemplateException("Fn::FindInMap " + map + "/" + topKey + "/" + secondKey + " not found");
            }
            return value;
        }
    }
}
