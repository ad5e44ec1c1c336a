package org.grpcetcd.agent.grpc;

import io.grpc.Attributes;
import io.grpc.NameResolver;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.grpcetcd.agent.bootstrap.ResolverBackend;

/**
 * The service config that makes channels on etcd targets use the agent's load-balancing policy; given only to
 * channels that chose no config or policy of their own (see {@link ChannelChoices}).
 *
 * <p>Newer grpc reads it from {@code ResolutionResult.setServiceConfig}; grpc up to about 1.27 reads it from the
 * resolution attribute {@code io.grpc.internal.GrpcAttributes.NAME_RESOLVER_SERVICE_CONFIG}. Both are given, so
 * round-robin holds on every supported version. Parsed once per resolver, not per update.
 */
final class ServiceConfigs {
    private final Map<String, ?> rawConfig;
    private final NameResolver.ConfigOrError parsed;
    private final Attributes legacyAttributes;

    ServiceConfigs(ResolverBackend backend, NameResolver.ServiceConfigParser parser) {
        String policy = backend.loadBalancingPolicy();
        this.rawConfig = Collections.singletonMap("loadBalancingConfig",
                List.of(Collections.singletonMap(policy, Collections.emptyMap())));
        this.parsed = parser == null ? null : parser.parseServiceConfig(rawConfig);
        this.legacyAttributes = legacyAttributes(rawConfig, backend);
    }

    NameResolver.ConfigOrError parsed() {
        return parsed;
    }

    Attributes legacyAttributes() {
        return legacyAttributes;
    }

    @SuppressWarnings("unchecked")
    private static Attributes legacyAttributes(Map<String, ?> config, ResolverBackend backend) {
        Attributes.Key<Map<String, ?>> key;
        try {
            Class<?> grpcAttributes = Class.forName(
                    "io.grpc.internal.GrpcAttributes", false, NameResolver.class.getClassLoader());
            Field field = grpcAttributes.getField("NAME_RESOLVER_SERVICE_CONFIG");
            key = (Attributes.Key<Map<String, ?>>) field.get(null);
        } catch (ClassNotFoundException | NoSuchFieldException e) {
            return Attributes.EMPTY; // a newer grpc: the service config above is what it reads
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            backend.warn("could not pass the load-balancing policy to this gRPC version: " + e);
            return Attributes.EMPTY;
        }
        return Attributes.newBuilder().set(key, config).build();
    }
}
