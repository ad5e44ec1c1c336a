package org.grpcetcd.agent.grpc;

import io.grpc.NameResolver;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.URI;
import org.grpcetcd.agent.bootstrap.ResolverBackend;

/**
 * With {@code grpc.etcd.default-scheme=true}, every target without a scheme comes to etcd, including plain host
 * names. When etcd holds nothing for the name, this resolves it through gRPC's DNS resolver instead, until etcd
 * knows the name. Used only inside the channel's SynchronizationContext.
 */
final class DnsFallback {
    private final String name;
    private final NameResolver.Args args;
    private final ResolverBackend backend;
    private NameResolver dns;

    DnsFallback(String name, NameResolver.Args args, ResolverBackend backend) {
        this.name = name;
        this.args = args;
        this.backend = backend;
    }

    void start(NameResolver.Listener2 listener) {
        if (dns != null) {
            return;
        }
        NameResolver created = NameResolverRegistry.getDefaultRegistry().asFactory()
                .newNameResolver(URI.create("dns:///" + name), args);
        if (created == null) {
            backend.warn("etcd holds no endpoint of '" + name + "' and gRPC has no DNS resolver to fall back to");
            return;
        }
        dns = created;
        NameResolver current = created;
        created.start(new NameResolver.Listener2() {
            @Override
            public void onResult(NameResolver.ResolutionResult result) {
                if (dns == current) {
                    listener.onResult(result);
                }
            }

            @Override
            public void onError(Status error) {
                if (dns == current) {
                    listener.onError(error);
                }
            }
        });
    }

    void stop() {
        if (dns != null) {
            dns.shutdown();
            dns = null;
        }
    }
}
