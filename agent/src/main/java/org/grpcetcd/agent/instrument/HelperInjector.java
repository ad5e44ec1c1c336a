package org.grpcetcd.agent.instrument;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

/**
 * Defines the resolver classes in a given class loader: the one that loaded the app's {@code io.grpc}, which
 * may be the system loader, Spring Boot's launcher loader or any other. They then link against the app's own
 * gRPC, whatever its version, and the app's registry accepts them as providers.
 *
 * <p>{@code ClassLoader.defineClass} is protected; the agent opens {@code java.lang} to itself through
 * {@link Instrumentation#redefineModule}, which every JDK from 9 on allows an agent to do.
 */
public final class HelperInjector {
    private final Instrumentation instrumentation;
    private Map<String, byte[]> classFiles; // read on first use
    private Method defineClass;

    public HelperInjector(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
    }

    /** Defines every helper class in {@code loader} (if not there yet) and returns the one named. */
    public synchronized Class<?> inject(ClassLoader loader, String wanted) throws IOException, ReflectiveOperationException {
        if (classFiles == null) {
            classFiles = HelperClasses.read();
        }
        Method define = defineClassMethod();
        Class<?> result = null;
        for (Map.Entry<String, byte[]> helper : classFiles.entrySet()) {
            Class<?> defined = alreadyDefined(loader, helper.getKey());
            if (defined == null) {
                byte[] bytes = helper.getValue();
                defined = (Class<?>) define.invoke(loader, helper.getKey(), bytes, 0, bytes.length);
            }
            if (helper.getKey().equals(wanted)) {
                result = defined;
            }
        }
        if (result == null) {
            throw new ClassNotFoundException(wanted + " is not among the agent's helper classes");
        }
        return result;
    }

    private static Class<?> alreadyDefined(ClassLoader loader, String name) {
        try {
            Class<?> existing = Class.forName(name, false, loader);
            return existing.getClassLoader() == loader ? existing : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    private Method defineClassMethod() throws NoSuchMethodException {
        if (defineClass == null) {
            Module javaBase = ClassLoader.class.getModule();
            instrumentation.redefineModule(javaBase, Set.of(), Map.of(),
                    Map.of("java.lang", Set.of(HelperInjector.class.getModule())), Set.of(), Map.of());
            Method method = ClassLoader.class.getDeclaredMethod(
                    "defineClass", String.class, byte[].class, int.class, int.class);
            method.setAccessible(true);
            defineClass = method;
        }
        return defineClass;
    }
}
