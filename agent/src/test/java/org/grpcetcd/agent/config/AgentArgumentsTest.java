package org.grpcetcd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
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

    @Test
    void formattedOptionsReadBackWholeAsAgentArguments() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("endpoints", "http://a:2379,http://b:2379");
        options.put("service", "orders");
        options.put("metadata.zone", "eu,west");
        assertThat(AgentArguments.parse(AgentArguments.format(options))).isEqualTo(options);
    }

    @Test
    void aValueThatWouldNotReadBackWholeIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(
                () -> AgentArguments.format(Map.of("password", "s3cret,x=y")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--password cannot be passed to the agent")
                .hasMessageNotContaining("s3cret");
    }
}
