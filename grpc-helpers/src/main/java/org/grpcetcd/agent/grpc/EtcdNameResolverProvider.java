package org.grpcetcd.agent.grpc;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.URI;
import org.grpcetcd.agent.bootstrap.ResolverBackend;
import org.grpcetcd.agent.bootstrap.ResolverBackends;

/**
 * Resolves {@code etcd:///<service>} targets. The agent defines this class in the class loader that loaded the
 * app's {@code io.grpc} and registers one instance in the app's default {@code NameResolverRegistry}.
 */
public final class EtcdNameResolverProvider extends NameResolverProvider {
    @Override
    protected boolean isAvailable() {
        return ResolverBackends.current() != null;
    }

    /** The same priority as grpc's DNS resolver; it only matters for targets without a scheme. */
    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public String getDefaultScheme() {
        return ResolverBackend.SCHEME;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!ResolverBackend.SCHEME.equalsIgnoreCase(targetUri.getScheme())) {
            return null;
        }
        ResolverBackend backend = ResolverBackends.current();
        if (backend == null) {
            return null;
        }
        String service = ServiceNames.fromTarget(targetUri);
        if (service.isEmpty()) {
            throw new IllegalArgumentException(
                    "an etcd target names its service in the path, as in etcd:///orders; got " + targetUri);
        }
        return new EtcdNameResolver(service, backend, args);
    }
}
