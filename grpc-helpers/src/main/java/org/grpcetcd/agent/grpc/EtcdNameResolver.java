package org.grpcetcd.agent.grpc;

import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.bootstrap.Endpoint;
import org.grpcetcd.agent.bootstrap.EndpointListener;
import org.grpcetcd.agent.bootstrap.ResolverBackend;
import org.grpcetcd.agent.bootstrap.Subscription;

/**
 * One channel's view of a service in etcd. The agent shares one get+watch per service across all channels and
 * pushes every change here; this class hands it to the channel inside the channel's SynchronizationContext, as
 * grpc's own resolvers do.
 *
 * <p>The agent's load-balancing policy goes only to channels that chose no service config or policy of their
 * own (see {@link ChannelChoices}). While etcd is unreachable the channel keeps the last list it was given. With
 * no list to give (etcd holds no instance, or has not answered yet), it reports UNAVAILABLE with the reason.
 */
final class EtcdNameResolver extends NameResolver {
    private final String scheme;
    private final String service;
    private final ResolverBackend backend;
    private final SynchronizationContext syncContext;
    private final ServiceConfigs serviceConfigs;

    private final DnsFallback dnsFallback;

    // touched only inside syncContext
    private Listener2 listener;
    private Subscription subscription;
    private boolean appliesAgentPolicy;
    private Status lastError;
    private boolean shutdown;

    EtcdNameResolver(String scheme, String service, ResolverBackend backend, NameResolver.Args args) {
        this.scheme = scheme;
        this.service = service;
        this.backend = backend;
        this.syncContext = args.getSynchronizationContext();
        this.serviceConfigs = new ServiceConfigs(backend, args.getServiceConfigParser());
        this.dnsFallback = backend.etcdIsDefaultScheme() && scheme.equals("etcd")
                ? new DnsFallback(service, args, backend) : null;
    }

    @Override
    public String getServiceAuthority() {
        return service;
    }

    @Override
    public void start(Listener2 newListener) {
        listener = newListener;
        appliesAgentPolicy = appliesAgentPolicy(newListener);
        subscription = backend.subscribe(scheme, service, new EndpointListener() {
            @Override
            public void onEndpoints(List<Endpoint> endpoints) {
                List<EquivalentAddressGroup> groups = toAddressGroups(endpoints);
                syncContext.execute(() -> deliver(groups));
            }

            @Override
            public void onNoEndpoints(String description) {
                syncContext.execute(() -> {
                    if (shutdown) {
                        return;
                    }
                    if (dnsFallback != null) {
                        lastError = null;
                        dnsFallback.start(listener);
                    } else {
                        fail(description);
                    }
                });
            }

            @Override
            public void onEtcdUnanswered(String description) {
                syncContext.execute(() -> {
                    if (!shutdown) {
                        fail(description);
                    }
                });
            }
        });
    }

    /**
     * Reports UNAVAILABLE, as gRPC's DNS resolver does for a name that does not resolve: calls without
     * waitForReady fail at once with the reason, waitForReady calls wait. gRPC asks {@link #refresh()} again
     * with backoff; the watch hands the next list to the channel by itself.
     */
    private void fail(String description) {
        lastError = Status.UNAVAILABLE.withDescription(description);
        listener.onError(lastError);
    }

    private void deliver(List<EquivalentAddressGroup> groups) {
        if (shutdown) {
            return;
        }
        if (dnsFallback != null) {
            dnsFallback.stop(); // etcd knows the name now: it wins over DNS
        }
        lastError = null;
        ResolutionResult.Builder result = ResolutionResult.newBuilder().setAddresses(groups);
        if (appliesAgentPolicy) {
            result.setAttributes(serviceConfigs.legacyAttributes());
            NameResolver.ConfigOrError config = serviceConfigs.parsed();
            if (config != null) {
                result.setServiceConfig(config);
            }
        }
        listener.onResult(result.build());
    }

    /**
     * Whether this channel gets the agent's load-balancing policy: only when it chose no service config and no
     * policy of its own, since any config from a resolver replaces those. When the channel cannot be read, its
     * own choice is left alone: gRPC then picks {@code pick_first} unless the app set something.
     */
    private boolean appliesAgentPolicy(Listener2 channelListener) {
        ChannelChoices.Choice choice = ChannelChoices.of(channelListener);
        if (choice == ChannelChoices.Choice.UNKNOWN) {
            backend.warn("cannot tell whether channels of this gRPC version (" + channelListener.getClass().getName()
                    + ") chose their own service config; leaving it to them, so " + scheme + " targets use gRPC's"
                    + " default pick_first unless the app sets a policy");
        }
        return choice == ChannelChoices.Choice.NONE;
    }

    private static List<EquivalentAddressGroup> toAddressGroups(List<Endpoint> endpoints) {
        List<EquivalentAddressGroup> groups = new ArrayList<>(endpoints.size());
        for (Endpoint endpoint : endpoints) {
            Attributes attributes = endpoint.metadata().isEmpty()
                    ? Attributes.EMPTY
                    : Attributes.newBuilder().set(EndpointAttributes.METADATA, endpoint.metadata()).build();
            groups.add(new EquivalentAddressGroup(endpoint.address(), attributes));
        }
        return groups;
    }

    /**
     * The watch keeps the list current, so there is nothing to re-read. A channel asks after a connection to a
     * server failed; when etcd says there is none, it hears why again, instead of a stale connection's error.
     */
    @Override
    public void refresh() {
        if (!shutdown && lastError != null) {
            listener.onError(lastError);
        }
    }

    @Override
    public void shutdown() {
        if (shutdown) {
            return;
        }
        shutdown = true;
        if (subscription != null) {
            subscription.cancel();
        }
        if (dnsFallback != null) {
            dnsFallback.stop();
        }
    }
}
