package org.grpcetcd.agent.reflect;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/** Reaches the app's gRPC objects by reflection: the agent links against none of its classes. */
public final class PublicMethods {
    private PublicMethods() {
    }

    /**
     * The no-argument method {@code name} as declared by the nearest public class of {@code type}: gRPC's
     * implementations (ServerImpl, its log ids) are package-private, and calling through them is refused.
     */
    public static Method of(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (Modifier.isPublic(c.getModifiers())) {
                return c.getMethod(name);
            }
        }
        throw new NoSuchMethodException(type.getName() + "." + name + " on no public class");
    }
}
