package org.grpcetcd.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.grpcetcd.agent.log.AgentLog;
import org.grpcetcd.agent.log.LogLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the transformer says about gRPC classes that load before the agent has read its settings. */
class GrpcTransformerTest {
    /** A loader whose parent is the platform loader: it cannot see the agent's hook classes. */
    private final ClassLoader isolated = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        AgentLog.setThreshold(LogLevel.INFO);
    }

    @Test
    void aWarningBeforeTheSettingsIsHeldAndThenObeysTheLevelSet() {
        GrpcTransformer transformer = new GrpcTransformer(ByteBuddyAgent.install());
        byte[] rewritten = transformer.transform(isolated, HookedGrpcClasses.SERVER_IMPL_PATH, null, null, new byte[0]);
        assertThat(rewritten).isNull();
        assertThat(stderr()).as("stderr before the settings were read").isEmpty();

        AgentLog.setThreshold(LogLevel.WARN);
        transformer.settingsRead();
        assertThat(stderr()).contains(" WARN gRPC (io.grpc.internal.ServerImpl) is loaded by ",
                "cannot see the agent's classes");
    }

    @Test
    void logLevelOffKeepsTheHeldWarningQuiet() {
        GrpcTransformer transformer = new GrpcTransformer(ByteBuddyAgent.install());
        transformer.transform(isolated, HookedGrpcClasses.SERVER_IMPL_PATH, null, null, new byte[0]);

        AgentLog.setThreshold(LogLevel.OFF);
        transformer.settingsRead();
        transformer.transform(isolated, HookedGrpcClasses.NAME_RESOLVER_REGISTRY_PATH, null, null, new byte[0]);
        assertThat(stderr()).isEmpty();
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
