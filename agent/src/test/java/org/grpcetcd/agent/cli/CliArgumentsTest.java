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

    @Test
    void helpInAnySpellingAndAnywhereAndVersionAsAnOption() throws Exception {
        assertThat(CliArguments.parse(new String[] {"--help"}).command).isEqualTo("help");
        assertThat(CliArguments.parse(new String[] {"-h"}).command).isEqualTo("help");
        assertThat(CliArguments.parse(new String[] {"help"}).command).isEqualTo("help");
        assertThat(CliArguments.parse(new String[] {"watch", "--help"}).command).isEqualTo("help");
        assertThat(CliArguments.parse(new String[] {"--version"}).command).isEqualTo("version");
    }

    @Test
    void extraArgumentsAreRefusedNotIgnored() {
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"list", "a", "b"}))
                .hasMessage("list takes at most one SERVICE; extra: b");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"watch"})).hasMessage("watch needs one SERVICE");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"watch", "a", "b", "c"}))
                .hasMessage("watch takes one SERVICE; extra: b c");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"version", "x"}))
                .hasMessage("version takes no argument; extra: x");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"doctor", "--json"}))
                .hasMessage("--json is an option of list only");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"frobnicate"}))
                .hasMessage("unknown command 'frobnicate'");
    }

    @Test
    void attachTakesOnePidAndAnySettingAsAnOption() throws Exception {
        CliArguments parsed = CliArguments.parse(new String[] {"attach", "4242", "--service", "orders"});
        assertThat(parsed.positional).containsExactly("4242");
        assertThat(parsed.options).isEqualTo(Map.of("service", "orders"));
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"attach"}))
                .hasMessage("attach needs the PID of a running JVM");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"attach", "12", "13"}))
                .hasMessage("attach takes one PID; extra: 13");
        assertThatThrownBy(() -> CliArguments.parse(new String[] {"attach", "java"}))
                .hasMessage("attach: 'java' is not a process id");
    }
}
