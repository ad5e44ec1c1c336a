package org.grpcetcd.agent;

import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.grpcetcd.agent.attach.AttachReport;
import org.grpcetcd.agent.bootstrap.GrpcHooks;
import org.grpcetcd.agent.instrument.LoadedGrpc;

/**
 * What an attached agent does once it is installed: the gRPC classes it hooks are already loaded (in any number
 * of class loaders), so it hooks them by retransformation as {@code -javaagent} does for a server class it
 * deferred, registers the servers already running (found in channelz) through the same hook a starting server
 * calls, and adds the etcd resolvers to each default registry through gRPC's public API. Channels built before
 * this keep the resolvers they had. Then it waits, bounded, until the running servers' keys are in etcd, so the
 * attach command can say what was registered.
 */
final class AttachCatchUp {
    /** Twice a lease grant plus a put against a slow etcd; past it the report says what is still missing. */
    private static final long REGISTERED_WITHIN_MILLIS = 10_000;
    private static final long POLL_MILLIS = 20;

    private final Instrumentation instrumentation;
    private final AgentRuntime runtime;

    AttachCatchUp(Instrumentation instrumentation, AgentRuntime runtime) {
        this.instrumentation = instrumentation;
        this.runtime = runtime;
    }

    void run(AttachReport report) throws Exception {
        LoadedGrpc loaded = new LoadedGrpc(instrumentation);
        List<Class<?>> classes = loaded.hookedClasses();
        if (classes.isEmpty()) {
            report.line("no gRPC server or channel in this JVM yet: the agent waits; servers started from now on"
                    + " register, channels built from now on can dial etcd:///");
            return;
        }
        List<Object> servers = loaded.instrument(classes);
        List<Object> registries = loaded.defaultRegistries(classes);
        for (Object registry : registries) {
            runtime.defaultRegistry(registry);
        }
        Set<String> keys = new TreeSet<>();
        for (Object server : servers) {
            GrpcHooks.serverStarted(server); // as the woven start() hook reports it: once per server
            keys.addAll(runtime.keysOf(server));
        }
        report.line("gRPC found in " + classLoaders(classes) + " class loader(s): " + servers.size()
                + " running server(s), " + registries.size() + " default name resolver registr"
                + (registries.size() == 1 ? "y" : "ies"));
        Set<String> inEtcd = awaitInEtcd(keys);
        for (String line : runtime.registrationStatus()) {
            if (keys.contains(line.substring(0, line.indexOf(' ')))) {
                report.line("registered " + line);
            }
        }
        for (String key : keys) {
            if (!inEtcd.contains(key)) {
                report.line("not in etcd yet: " + key + " (the agent keeps trying; the app's stderr says why)");
            }
        }
        report.line("channels built from now on can dial etcd:///; channels built before keep their resolvers");
    }

    private Set<String> awaitInEtcd(Set<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + REGISTERED_WITHIN_MILLIS * 1_000_000;
        Set<String> inEtcd = runtime.keysInEtcd();
        while (!inEtcd.containsAll(keys) && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            inEtcd = runtime.keysInEtcd();
        }
        return inEtcd;
    }

    private static int classLoaders(List<Class<?>> classes) {
        Set<ClassLoader> loaders = new HashSet<>();
        for (Class<?> hooked : classes) {
            loaders.add(hooked.getClassLoader());
        }
        return loaders.size();
    }
}
