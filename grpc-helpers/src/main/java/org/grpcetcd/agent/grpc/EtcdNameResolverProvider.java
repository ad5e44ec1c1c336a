package org.grpcetcd.agent.grpc;

import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.URI;
import org.grpcetcd.agent.bootstrap.ResolverBackend;
import org.grpcetcd.agent.bootstrap.ResolverBackends;

/**
 * Resolves the targets of one scheme: {@code etcd:///<service>} or {@code grpcEtcd://<authority>/<service>}. The
 * agent defines this class in the class loader that loaded the app's {@code io.grpc} and registers one instance
 * per scheme in the app's default {@code NameResolverRegistry}.
 */
public final class EtcdNameResolverProvider extends NameResolverProvider {
    private final String scheme;

    public EtcdNameResolverProvider(String scheme) {
        this.scheme = scheme;
    }

    @Override
    protected boolean isAvailable() {
        return ResolverBackends.current() != null;
    }

    /**
     * Priority only decides which provider takes targets without a scheme: DNS has 5, so etcd takes them with
     * 6 when {@code grpc.etcd.default-scheme=true}, and never otherwise.
     */
    @Override
    protected int priority() {
        ResolverBackend backend = ResolverBackends.current();
        return backend != null && backend.etcdIsDefaultScheme() && scheme.equals("etcd") ? 6 : 4;
    }

    @Override
    public String getDefaultScheme() {
        return scheme;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
        if (!scheme.equalsIgnoreCase(targetUri.getScheme())) {
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
        return new EtcdNameResolver(scheme, service, backend, args);
    }
}
