package org.grpcetcd.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.grpcetcd.agent.reflect.PublicMethods;

/**
 * The hooks for gRPC classes that are already loaded: retransforms them, so that {@link GrpcTransformer} (added
 * with retransformation on) weaves the hooks in, and lists the servers that started before the hooks were there.
 *
 * <p>Those servers are found in gRPC's channelz registry of each class loader: every {@code ServerImpl} adds
 * itself there in its constructor and is removed when it terminates, and its {@code getListenSockets()} throws
 * {@code IllegalStateException} until {@code start()} has bound its ports, which tells the started ones apart.
 * The list is read after the retransformation, so a server is either in it or reported by the woven hook (or,
 * starting just then, both: {@code GrpcHooks} reports each server once).
 */
public final class LoadedGrpc {
    private static final int PAGE_SIZE = 100;

    private final Instrumentation instrumentation;

    public LoadedGrpc(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** The classes the agent hooks that any class loader has loaded by now. */
    public List<Class<?>> hookedClasses() {
        List<Class<?>> found = new ArrayList<>();
        for (Class<?> loaded : instrumentation.getAllLoadedClasses()) {
            String name = loaded.getName();
            if (name.equals(HookedGrpcClasses.SERVER_IMPL) || name.equals(HookedGrpcClasses.NAME_RESOLVER_REGISTRY)) {
                found.add(loaded);
            }
        }
        return found;
    }

    /**
     * Weaves the hooks into {@code classes} and returns the servers of their class loaders that have started and
     * are not shutting down.
     */
    public List<Object> instrument(List<Class<?>> classes)
            throws UnmodifiableClassException, ReflectiveOperationException {
        instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
        List<Object> started = new ArrayList<>();
        for (Class<?> hooked : classes) {
            // a copy of gRPC that cannot see the hooks stays unhooked: registering its servers would leave their
            // keys behind when they stop
            if (hooked.getName().equals(HookedGrpcClasses.SERVER_IMPL)
                    && GrpcTransformer.seesTheAgent(hooked.getClassLoader())) {
                started.addAll(startedServers(hooked.getClassLoader()));
            }
        }
        return started;
    }

    /**
     * The default {@code NameResolverRegistry} of each class loader among {@code classes} that sees the agent:
     * {@code getDefaultRegistry()}, public API, which makes it if no channel has asked for it yet.
     */
    public List<Object> defaultRegistries(List<Class<?>> classes) throws ReflectiveOperationException {
        List<Object> registries = new ArrayList<>();
        for (Class<?> hooked : classes) {
            if (hooked.getName().equals(HookedGrpcClasses.NAME_RESOLVER_REGISTRY)
                    && GrpcTransformer.seesTheAgent(hooked.getClassLoader())) {
                registries.add(hooked.getMethod("getDefaultRegistry").invoke(null));
            }
        }
        return registries;
    }

    /** {@code InternalChannelz.instance().getServers(...)}, page by page, less those not started or shutting down. */
    static List<Object> startedServers(ClassLoader grpcLoader) throws ReflectiveOperationException {
        Class<?> channelzClass = Class.forName(HookedGrpcClasses.INTERNAL_CHANNELZ, false, grpcLoader);
        Object channelz = channelzClass.getMethod("instance").invoke(null);
        Method getServers = channelzClass.getMethod("getServers", long.class, int.class);
        List<Object> started = new ArrayList<>();
        long fromId = 0;
        boolean end = false;
        while (!end) {
            Object page = getServers.invoke(channelz, fromId, PAGE_SIZE); // it allocates a list of the page's size
            end = page.getClass().getField("end").getBoolean(page);
            for (Object server : (List<?>) page.getClass().getField("servers").get(page)) {
                Object logId = PublicMethods.of(server.getClass(), "getLogId").invoke(server);
                fromId = Math.max(fromId, (Long) PublicMethods.of(logId.getClass(), "getId").invoke(logId) + 1);
                if (isStarted(server) && !(Boolean) PublicMethods.of(server.getClass(), "isShutdown").invoke(server)) {
                    started.add(server);
                }
            }
        }
        return started;
    }

    private static boolean isStarted(Object server) throws ReflectiveOperationException {
        try {
            PublicMethods.of(server.getClass(), "getListenSockets").invoke(server);
            return true;
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof IllegalStateException) {
                return false; // "Not started" (or "Already terminated")
            }
            throw e;
        }
    }
}
