package dev.falgate.local.template;

import java.util.List;

/** An {@code AWS::S3::Bucket}: its name and CORS rules (the emulator applies them). */
public record BucketDef(String logicalId, String bucketName, List<CorsRule> corsRules) {

    public BucketDef {
        corsRules = List.copyOf(corsRules);
    }

    /** One CORS rule, as in a bucket's {@code CorsConfiguration} or an HTTP API's. */
    public record CorsRule(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
            List<String> exposedHeaders, Integer maxAgeSeconds) {
        public CorsRule {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            exposedHeaders = List.copyOf(exposedHeaders);
        }
    }
}
