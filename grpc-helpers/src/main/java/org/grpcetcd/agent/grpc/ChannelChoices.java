package org.grpcetcd.agent.grpc;

import io.grpc.LoadBalancerProvider;
import io.grpc.NameResolver;
import java.lang.reflect.Field;

/**
 * Whether the channel behind a resolver chose its own service config or load-balancing policy. gRPC (1.26 to
 * 1.85 alike) uses a service config from the resolver instead of the channel's {@code defaultServiceConfig}, and
 * a {@code loadBalancingConfig} in it beats the channel's {@code defaultLoadBalancingPolicy}: the agent may only
 * supply its policy to channels that chose neither.
 *
 * <p>{@code NameResolver.Args} carries neither choice, so this reads them from the {@code ManagedChannelImpl}
 * behind the listener gRPC passes to {@code start()} (directly, or through a wrapping listener such as
 * {@code RetryingNameResolver}'s). These are gRPC internals: their names hold from 1.26 to 1.85, and anything
 * unexpected answers {@link Choice#UNKNOWN} rather than guessing.
 */
final class ChannelChoices {
    /** gRPC's own default policy: a channel reporting it may have set it, but cannot be told from one that did not. */
    private static final String GRPC_DEFAULT_POLICY = "pick_first";
    private static final String CHANNEL_CLASS = "io.grpc.internal.ManagedChannelImpl";
    private static final int MAX_WRAPPERS = 4;

    enum Choice {
        /** a default service config, a default policy other than pick_first, or resolver configs switched off */
        OWN,
        /** nothing: the agent's policy applies */
        NONE,
        /** not a channel this code knows how to read */
        UNKNOWN
    }

    private ChannelChoices() {
    }

    static Choice of(NameResolver.Listener2 listener) {
        try {
            Object channel = channelBehind(listener);
            if (channel == null) {
                return Choice.UNKNOWN;
            }
            if (!(Boolean) read(channel, "lookUpServiceConfig")) {
                return Choice.OWN; // it ignores any resolver's config: nothing to give
            }
            if (read(channel, "defaultServiceConfig") != null) {
                return Choice.OWN;
            }
            String policy = defaultPolicy(read(channel, "loadBalancerFactory"));
            if (policy == null) {
                return Choice.UNKNOWN;
            }
            return policy.equals(GRPC_DEFAULT_POLICY) ? Choice.NONE : Choice.OWN;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Choice.UNKNOWN;
        }
    }

    private static Object channelBehind(Object listener) throws ReflectiveOperationException {
        Object current = listener;
        for (int hop = 0; hop <= MAX_WRAPPERS && current != null; hop++) {
            Object wrapped = null;
            for (Field field : current.getClass().getDeclaredFields()) {
                if (field.getType().getName().equals(CHANNEL_CLASS)) {
                    return get(field, current); // the listener is the channel's inner class
                }
                if (NameResolver.Listener2.class.isAssignableFrom(field.getType())) {
                    wrapped = get(field, current);
                }
            }
            current = wrapped;
        }
        return null;
    }

    /** The default policy of gRPC's AutoConfiguredLoadBalancerFactory: a name (older gRPC) or a provider. */
    private static String defaultPolicy(Object factory) throws ReflectiveOperationException {
        if (factory == null) {
            return null;
        }
        for (Field field : factory.getClass().getDeclaredFields()) {
            if (field.getName().equals("defaultPolicy") && field.getType() == String.class) {
                return (String) get(field, factory);
            }
            if (field.getName().equals("defaultProvider") && field.getType() == LoadBalancerProvider.class) {
                LoadBalancerProvider provider = (LoadBalancerProvider) get(field, factory);
                return provider == null ? null : provider.getPolicyName();
            }
        }
        return null;
    }

    private static Object read(Object target, String name) throws ReflectiveOperationException {
        return get(target.getClass().getDeclaredField(name), target);
    }

    private static Object get(Field field, Object target) throws IllegalAccessException {
        field.setAccessible(true);
        return field.get(target);
    }
}
