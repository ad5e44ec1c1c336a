package org.grpcetcd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CliArgumentsTest {
    @Test
    void optionsAreSettingNamesWithTheirValuesInBothForms() throws Exception {
        CliArguments parsed = CliArguments.parse(new String[] {
            "list", "orders", "--endpoints", "http://10.0.0.5:2379", "--key-format=grpcEtcd", "--metadata.zone", "a",
            "--json"});
        assertThat(parsed.command).isEqualTo("list");
        assertThat(parsed.positional).containsExactly("orders");
        assertThat(parsed.json).isTrue();
        assertThat(parsed.options).isEqualTo(Map.of("endpoints", "http://10.0.0.5:2379", "key-format", "grpcEtcd",
                "metadata.zone", "a"));
    }

    @Test
    void aBlankValueIsRefusedRatherThanTakenAsUnset() {
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"list", "--endpoints="}))
                .hasMessage("--endpoints needs a value");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"list", "--endpoints", " "}))
                .hasMessage("--endpoints needs a value");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"list", "--endpoints"}))
                .hasMessage("--endpoints needs a value");
    }

    @Test
    void anUnknownOptionIsRefused() {
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"list", "--endpoint", "http://x:1"}))
                .hasMessageStartingWith("unknown option --endpoint");
    }
}
