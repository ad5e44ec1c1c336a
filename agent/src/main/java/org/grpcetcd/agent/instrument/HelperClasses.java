package org.grpcetcd.agent.instrument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;

/**
 * The resolver classes that must live beside the app's {@code io.grpc}. They ship inside the agent jar as a
 * nested jar, so the app's class path never sees them, and are read once, when the first registry appears.
 */
final class HelperClasses {
    static final String NESTED_JAR = "/META-INF/grpc-etcd-agent/grpc-helpers.jar";

    private HelperClasses() {
    }

    /** Class name to class file, for every class in the nested jar. */
    static Map<String, byte[]> read() throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (InputStream nested = HelperClasses.class.getResourceAsStream(NESTED_JAR)) {
            if (nested == null) {
                throw new IOException("the agent jar lacks " + NESTED_JAR);
            }
            try (JarInputStream jar = new JarInputStream(nested)) {
                for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                    String name = entry.getName();
                    if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                        classes.put(className, readAll(jar));
                    }
                }
            }
        }
        return classes;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
