package org.grpcetcd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentArgumentsTest {
    @Test
    void readsNameValuePairs() {
        assertThat(AgentArguments.parse("service=orders, ttl=5"))
                .containsEntry("service", "orders").containsEntry("ttl", "5").hasSize(2);
    }

    @Test
    void aPieceWithoutEqualsContinuesThePreviousValue() {
        assertThat(AgentArguments.parse("endpoints=http://a:2379,http://b:2379,service=x"))
                .containsEntry("endpoints", "http://a:2379,http://b:2379").containsEntry("service", "x");
    }

    @Test
    void emptyOrMissingArgumentsGiveNothing() {
        assertThat(AgentArguments.parse(null)).isEmpty();
        assertThat(AgentArguments.parse("  ")).isEmpty();
    }
}
