package org.grpcetcd.agent.instrument;

/**
 * The names of the app's gRPC classes that the agent hooks.
 *
 * <p>Built at run time on purpose: maven-shade rewrites every string constant of the agent jar that starts with a
 * relocated package, and a relocated {@code io.grpc} (an etcd client carries one) would turn these names into the
 * agent's own copy, so the hooks would never meet the app's classes. Keep every name of an app class here.
 */
final class HookedGrpcClasses {
    private static final String GRPC = String.join(".", "io", "grpc");
    static final String SERVER_IMPL = GRPC + ".internal.ServerImpl";
    static final String NAME_RESOLVER_REGISTRY = GRPC + ".NameResolverRegistry";
    static final String INTERNAL_CHANNELZ = GRPC + ".InternalChannelz";
    /** Loaded by every channel builder, well before the registry: the cue to prepare its hooks and start the agent. */
    static final String MANAGED_CHANNEL_BUILDER_PATH = (GRPC + ".ManagedChannelBuilder").replace('.', '/');
    static final String SERVER_IMPL_PATH = SERVER_IMPL.replace('.', '/');
    static final String NAME_RESOLVER_REGISTRY_PATH = NAME_RESOLVER_REGISTRY.replace('.', '/');
    static final String PACKAGE_PATH = GRPC.replace('.', '/') + "/";

    private HookedGrpcClasses() {
    }

    /** Whether the class (internal name, {@code a/b/C}) is one the agent looks at: a few string compares at most. */
    static boolean concerns(String internalName) {
        return internalName.startsWith(PACKAGE_PATH) && (SERVER_IMPL_PATH.equals(internalName)
                || NAME_RESOLVER_REGISTRY_PATH.equals(internalName)
                || MANAGED_CHANNEL_BUILDER_PATH.equals(internalName));
    }
}
