package org.grpcetcd.agent.instrument;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.grpcetcd.agent.log.AgentLog;

/**
 * Puts the etcd {@code NameResolverProvider}s (one per scheme) into each default {@code NameResolverRegistry} the app creates
 * (one per class loader that loads gRPC). Runs on the app's thread inside {@code getDefaultRegistry()}; after
 * the first time per registry it is one map look-up.
 */
public final class ResolverInstaller {
    static final String PROVIDER_CLASS = "org.grpcetcd.agent.grpc.EtcdNameResolverProvider";

    private final HelperInjector injector;
    private final Map<Object, Boolean> handled = Collections.synchronizedMap(new WeakHashMap<>());

    private final List<String> schemes;

    public ResolverInstaller(HelperInjector injector, List<String> schemes) {
        this.injector = injector;
        this.schemes = List.copyOf(schemes);
    }

    /** Adds the etcd resolvers to {@code registry}, the first time it is seen. */
    public void install(Object registry) {
        if (handled.putIfAbsent(registry, Boolean.TRUE) != null) {
            return;
        }
        ClassLoader grpcLoader = registry.getClass().getClassLoader();
        try {
            if (grpcLoader == null) {
                throw new IllegalStateException("gRPC is on the boot class path, where the agent cannot add classes");
            }
            Class<?> providerClass = injector.inject(grpcLoader, PROVIDER_CLASS);
            Method register = registry.getClass().getMethod("register", providerClass.getSuperclass());
            for (String scheme : schemes) {
                register.invoke(registry, providerClass.getConstructor(String.class).newInstance(scheme));
            }
            AgentLog.debug("resolvers for " + schemes + " added to the gRPC registry of " + grpcLoader);
        } catch (Throwable e) {
            AgentLog.error("could not add the etcd:/// resolver to gRPC's registry (" + AgentLog.describe(e)
                    + "); channels on etcd:/// targets will fail, everything else runs as before");
        }
    }
}
