package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import org.grpcetcd.it.support.ItEnvironment;
import org.junit.jupiter.api.Test;

/**
 * The agent jar can be put in front of any app: it carries no third-party class outside its own package (its
 * ByteBuddy is relocated), no service file that could make the app's ServiceLoader pick something up, and the
 * manifest names its premain class.
 */
class AgentJarIsolationTest {
    private static final String OWN = "org/grpcetcd/agent/";
    private static final Pattern OWN_VERSIONED = Pattern.compile("^META-INF/versions/\\d+/org/grpcetcd/agent/.*");
    private static final List<String> FORBIDDEN_PREFIXES =
            List.of("io/grpc", "io/netty", "com/google", "net/bytebuddy", "org/objectweb", "org/slf4j");
    private static final String NESTED_HELPERS = "META-INF/grpc-etcd-agent/grpc-helpers.jar";

    @Test
    void containsOnlyItsOwnClassesAndNoServiceFiles() throws IOException {
        Path jarPath = ItEnvironment.agentJar();
        List<String> violations = new ArrayList<>();
        int ownClasses = 0;
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                ownClasses += checkEntry(name, violations, "");
            }
        }
        assertThat(violations).as("entries of %s that could clash with an app's classes or services", jarPath)
                .isEmpty();
        assertThat(ownClasses).as("classes under %s in %s", OWN, jarPath).isPositive();
    }

    @Test
    void nestedGrpcHelpersJarHoldsOnlyTheAgentsOwnClasses() throws IOException {
        Path jarPath = ItEnvironment.agentJar();
        List<String> violations = new ArrayList<>();
        int ownClasses = 0;
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            JarEntry nested = jar.getJarEntry(NESTED_HELPERS);
            assertThat(nested).as("%s in %s", NESTED_HELPERS, jarPath).isNotNull();
            try (InputStream in = jar.getInputStream(nested); JarInputStream helpers = new JarInputStream(in)) {
                for (JarEntry entry = helpers.getNextJarEntry(); entry != null; entry = helpers.getNextJarEntry()) {
                    ownClasses += checkEntry(entry.getName(), violations, NESTED_HELPERS + "!/");
                }
            }
        }
        assertThat(violations).as("entries of the nested %s", NESTED_HELPERS).isEmpty();
        assertThat(ownClasses).as("classes in the nested %s", NESTED_HELPERS).isPositive();
    }

    @Test
    void manifestNamesThePremainClass() throws IOException {
        Path jarPath = ItEnvironment.agentJar();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Manifest manifest = jar.getManifest();
            assertThat(manifest).as("manifest of %s", jarPath).isNotNull();
            assertThat(manifest.getMainAttributes().getValue("Premain-Class")).isEqualTo("org.grpcetcd.agent.Agent");
        }
    }

    /** Adds what is wrong with one entry to {@code violations}; returns 1 when it is one of the agent's classes. */
    private static int checkEntry(String name, List<String> violations, String where) {
        for (String prefix : FORBIDDEN_PREFIXES) {
            if (name.startsWith(prefix)) {
                violations.add(where + name + " (third-party package " + prefix + ")");
            }
        }
        if (name.startsWith("META-INF/services/") && !name.equals("META-INF/services/")) {
            violations.add(where + name + " (a service file: the app's ServiceLoader would see it)");
        }
        if (name.endsWith(".class")) {
            if (name.startsWith(OWN) || OWN_VERSIONED.matcher(name).matches()) {
                return 1;
            }
            violations.add(where + name + " (a class outside " + OWN + ")");
        }
        return 0;
    }
}
