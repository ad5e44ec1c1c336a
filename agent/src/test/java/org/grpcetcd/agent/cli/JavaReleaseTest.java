package org.grpcetcd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JavaReleaseTest {
    @Test
    void theAgentNeedsTheReleaseItIsCompiledFor() throws Exception {
        // the parent pom's maven.compiler.release, read back from the compiled Agent.class
        assertThat(JavaRelease.ofAgent()).isEqualTo(11);
    }

    @Test
    void specificationVersionsOfOldAndNewJavaReadAsTheirFeatureRelease() {
        assertThat(JavaRelease.feature("1.8")).isEqualTo(8);
        assertThat(JavaRelease.feature("10")).isEqualTo(10);
        assertThat(JavaRelease.feature("17")).isEqualTo(17);
        assertThat(JavaRelease.feature("25")).isEqualTo(25);
    }
}
