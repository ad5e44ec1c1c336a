package org.grpcetcd.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves {@link GrpcHookAdvice} into a class file of {@code ServerImpl} or {@code NameResolverRegistry}, as it
 * loads or when it is retransformed. The only class of the agent that ByteBuddy runs in: it is loaded when the
 * first gRPC class the agent hooks appears, never in a JVM without gRPC.
 *
 * <p>The result adds no field, method or interface (ByteBuddy's implementation context is disabled), so the
 * same weave serves a retransformation of a class that is already loaded.
 */
final class HookWeaver {
    private static final ElementMatcher.Junction<MethodDescription> PLAIN_NO_ARGUMENTS =
            takesArguments(0).and(not(isAbstract())).and(not(isBridge())).and(not(isSynthetic()));
    private static final ElementMatcher<MethodDescription> START =
            named("start").and(not(isStatic())).and(PLAIN_NO_ARGUMENTS);
    private static final ElementMatcher<MethodDescription> SHUTDOWN =
            namedOneOf("shutdown", "shutdownNow").and(not(isStatic())).and(PLAIN_NO_ARGUMENTS);
    private static final ElementMatcher<MethodDescription> GET_DEFAULT_REGISTRY =
            named("getDefaultRegistry").and(isStatic()).and(PLAIN_NO_ARGUMENTS);

    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(InstrumentedType.Factory.Default.FROZEN)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);
    private final AsmVisitorWrapper serverHooks = new AsmVisitorWrapper.Compound(
            Advice.to(GrpcHookAdvice.ServerStarted.class).on(START),
            Advice.to(GrpcHookAdvice.ServerStopping.class).on(SHUTDOWN));
    private final AsmVisitorWrapper registryHooks =
            Advice.to(GrpcHookAdvice.DefaultRegistry.class).on(GET_DEFAULT_REGISTRY);

    /**
     * The class file with the hooks woven in, or {@code null} when the class lacks the method its hook goes into
     * (a gRPC version the agent does not know).
     */
    byte[] weave(String className, ClassLoader loader, byte[] classFile) {
        boolean server = className.equals(HookedGrpcClasses.SERVER_IMPL);
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(className, classFile),
                ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(className).resolve();
        if (type.getDeclaredMethods().filter(server ? START : GET_DEFAULT_REGISTRY).isEmpty()) {
            return null;
        }
        return byteBuddy.redefine(type, locator)
                .visit(server ? serverHooks : registryHooks)
                .make()
                .getBytes();
    }
}
