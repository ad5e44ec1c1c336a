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
 * The agent jar can be put in front of any app. What the system class loader sees of it is the launcher and the
 * bridge only: no third-party class, no service file that could make the app's ServiceLoader pick something up.
 * Everything else (the agent, jetcd and what it brings, ByteBuddy) sits under {@code inst/} as {@code .classdata},
 * relocated under the agent's package, for the agent's own class loader; what an etcd client never uses is left
 * out. The manifest names the launcher as premain and main class.
 */
class AgentJarIsolationTest {
    private static final String OWN = "org/grpcetcd/agent/";
    private static final List<String> SYSTEM_VISIBLE = List.of(OWN + "Agent.class", OWN + "launcher/", OWN + "bootstrap/");
    private static final String INST = "inst/";
    private static final List<String> FORBIDDEN_PREFIXES =
            List.of("io/grpc", "io/netty", "io/vertx", "io/etcd", "com/google", "net/bytebuddy", "org/objectweb",
                    "org/slf4j");
    /**
     * What a plaintext or TLS (JDK) etcd client never loads: Netty's HTTP/3, QUIC, DNS, proxy and SOCKS codecs, its
     * native transports and tcnative (OpenSSL); Google's common protos.
     */
    private static final Pattern LEFT_OUT = Pattern.compile("io/netty/(handler/codec/(http3|quic|dns|socks)"
            + "|resolver/dns|handler/proxy|internal/tcnative|channel/(epoll|kqueue|uring))/"
            + "|com/google/(api|rpc|type|cloud|apps|geo|logging|longrunning|shopping)/");
    private static final String NESTED_HELPERS = INST + "META-INF/grpc-etcd-agent/grpc-helpers.jar";

    @Test
    void theSystemClassLoaderSeesOnlyTheLauncherAndTheBridgeAndTheRestIsClassdataUnderInst() throws IOException {
        Path jarPath = ItEnvironment.agentJar();
        List<String> violations = new ArrayList<>();
        int launcherClasses = 0;
        int instClasses = 0;
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String name = entries.nextElement().getName();
                if (name.startsWith(INST)) {
                    instClasses += checkInstEntry(name.substring(INST.length()), violations);
                } else {
                    launcherClasses += checkEntry(name, violations, "");
                }
            }
        }
        assertThat(violations).as("entries of %s that could clash with an app's classes or services", jarPath)
                .isEmpty();
        assertThat(launcherClasses).as("launcher and bridge classes in %s", jarPath).isPositive();
        assertThat(instClasses).as(".classdata under inst/ in %s", jarPath).isGreaterThan(1000);
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
            assertThat(manifest.getMainAttributes().getValue("Main-Class")).isEqualTo("org.grpcetcd.agent.Agent");
        }
    }

    /** Adds what is wrong with one entry under inst/; returns 1 when it is a class of the agent's loader. */
    private static int checkInstEntry(String name, List<String> violations) {
        if (name.endsWith(".class")) {
            violations.add(INST + name + " (a .class under inst/: the app's class loader could define it)");
        }
        if (LEFT_OUT.matcher(name).find()) {
            violations.add(INST + name + " (an etcd client never uses it)");
        }
        if (name.endsWith(".classdata")) {
            if (name.startsWith(OWN)) {
                return 1;
            }
            violations.add(INST + name + " (not relocated under " + OWN + ")");
        }
        return 0;
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
            if (where.isEmpty() ? SYSTEM_VISIBLE.stream().anyMatch(name::startsWith) : name.startsWith(OWN)) {
                return 1;
            }
            violations.add(where + name + " (a class the system class loader would see: neither launcher nor bridge)");
        }
        return 0;
    }
}
