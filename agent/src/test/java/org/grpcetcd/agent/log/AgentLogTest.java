package org.grpcetcd.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentLogTest {
    @Test
    void controlCharactersCannotForgeLogLines() {
        assertThat(AgentLog.escapeControlCharacters("a\nb\r[grpc-etcd-agent] fake"))
                .isEqualTo("a\\u000ab\\u000d[grpc-etcd-agent] fake");
        assertThat(AgentLog.escapeControlCharacters("plain")).isEqualTo("plain");
    }

    @Test
    void describeGivesTypeAndMessage() {
        assertThat(AgentLog.describe(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
        assertThat(AgentLog.describe(new RuntimeException())).isEqualTo("RuntimeException");
    }

    @Test
    void hugeMessagesAreCutWithTheirLengthSaid() {
        String huge = "x".repeat(100_000);
        assertThat(AgentLog.capped(huge)).hasSize(1000 + "...(100000 characters)".length())
                .endsWith("...(100000 characters)");
        assertThat(AgentLog.capped("short")).isEqualTo("short");
    }
}
