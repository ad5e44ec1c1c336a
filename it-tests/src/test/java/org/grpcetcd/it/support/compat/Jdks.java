package org.grpcetcd.it.support.compat;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.grpcetcd.it.support.ItEnvironment;

/** The JVMs of the matrix: Java 17 (the project's default) and Temurin 25. Never skipped: missing one fails. */
public enum Jdks {
    JAVA_17(17, List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "/usr/lib/jvm/temurin-17-jdk-amd64/bin/java")),
    JAVA_25(25, List.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));

    private final int feature;
    private final List<String> candidates;

    Jdks(int feature, List<String> candidates) {
        this.feature = feature;
        this.candidates = candidates;
    }

    public int feature() {
        return feature;
    }

    /** The {@code java} executable of this version. */
    public String java() {
        for (String candidate : candidates) {
            if (Files.isExecutable(Paths.get(candidate))) {
                return candidate;
            }
        }
        if (Runtime.version().feature() == feature) {
            return ItEnvironment.javaExecutable().toString();
        }
        Path none = Paths.get(candidates.get(0));
        return fail("no Java " + feature + " found (looked at " + candidates + " and this JVM, Java "
                + Runtime.version().feature() + "); the compatibility matrix needs it: install it at " + none);
    }

    @Override
    public String toString() {
        return "Java " + feature;
    }
}
