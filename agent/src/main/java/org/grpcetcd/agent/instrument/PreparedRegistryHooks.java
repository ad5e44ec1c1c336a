package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gets the hooked {@code NameResolverRegistry} ready ahead of time, on a thread of the agent's own, from the class
 * file its class loader will read. The registry must be hooked as it loads, on the app's thread, but a channel
 * builder loads first, a few hundred classes earlier (measured: gRPC 1.85 loads ~900 classes between the two), so
 * finding the class file the build wove ({@link WovenClasses}), or for another class file the time ByteBuddy takes
 * to load and warm up, overlaps the app's own work instead of following it.
 */
final class PreparedRegistryHooks {
    private static final long WAIT_SECONDS = 10;
    /** In place of a preparation once the registry has loaded: nothing left to prepare for that loader. */
    private static final CompletableFuture<byte[][]> LOADED = CompletableFuture.completedFuture(null);

    private final WovenClasses wovenClasses;
    /** Per class loader: the class file read and the woven one (null when it could not be woven), or LOADED. */
    private final Map<ClassLoader, CompletableFuture<byte[][]>> prepared =
            Collections.synchronizedMap(new WeakHashMap<>());

    PreparedRegistryHooks(WovenClasses wovenClasses) {
        this.wovenClasses = wovenClasses;
    }

    /** A channel builder is loading in {@code loader}: starts weaving the registry it will load soon. */
    void channelBuilderLoading(ClassLoader loader) {
        CompletableFuture<byte[][]> result = new CompletableFuture<>();
        if (prepared.putIfAbsent(loader, result) != null) { // being prepared, or the registry loaded already
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                byte[] classFile = read(loader);
                result.complete(new byte[][] {classFile,
                        wovenClasses.woven(HookedGrpcClasses.NAME_RESOLVER_REGISTRY, loader, classFile)});
            } catch (Throwable e) {
                result.complete(null); // the registry is woven as it loads instead, and any failure said then
            }
        }, "grpc-etcd-agent-prepare");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The woven registry prepared for {@code loader} from the same class file (waiting for it, bounded), or
     * {@code null}: none was prepared, or the class file differs (another agent changed it first).
     */
    byte[] woven(ClassLoader loader, byte[] classFile) {
        CompletableFuture<byte[][]> result = prepared.put(loader, LOADED); // a loader defines the registry once
        try {
            byte[][] pair = result == null ? null : result.get(WAIT_SECONDS, TimeUnit.SECONDS);
            return pair != null && pair[1] != null && Arrays.equals(pair[0], classFile) ? pair[1] : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    private static byte[] read(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(HookedGrpcClasses.NAME_RESOLVER_REGISTRY_PATH + ".class")) {
            if (in == null) {
                throw new IOException("no class file of " + HookedGrpcClasses.NAME_RESOLVER_REGISTRY);
            }
            return in.readAllBytes();
        }
    }
}
