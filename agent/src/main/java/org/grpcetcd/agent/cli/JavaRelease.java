package org.grpcetcd.agent.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Java versions, for refusing to load the agent into a JVM too old for it: such a JVM would fail on the agent's
 * first class with an error on the app's stderr.
 */
final class JavaRelease {
    /** Class file major version 45 is Java 1.1, 55 is Java 11: the release is the major version less 44. */
    private static final int MAJOR_VERSION_OF_RELEASE_ZERO = 44;

    private JavaRelease() {
    }

    /**
     * The oldest Java the agent runs on: the release its classes are compiled for, read from its own class file,
     * so it follows the build's {@code maven.compiler.release} without a second copy of that number.
     */
    static int ofAgent() throws IOException {
        try (InputStream in = JavaRelease.class.getResourceAsStream("JavaRelease.class")) {
            if (in == null) {
                throw new IOException("no class file of " + JavaRelease.class.getName());
            }
            DataInputStream classFile = new DataInputStream(in);
            classFile.readInt(); // 0xCAFEBABE
            classFile.readUnsignedShort(); // minor version
            return classFile.readUnsignedShort() - MAJOR_VERSION_OF_RELEASE_ZERO;
        }
    }

    /** The feature release of a {@code java.specification.version}: {@code 1.8} is 8, {@code 17} is 17. */
    static int feature(String specificationVersion) {
        String version = specificationVersion.startsWith("1.") ? specificationVersion.substring(2)
                : specificationVersion;
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }
}
