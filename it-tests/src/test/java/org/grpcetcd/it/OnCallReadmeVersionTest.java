package org.grpcetcd.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.grpcetcd.it.support.oncall.AgentCli;
import org.grpcetcd.it.support.oncall.ReadmeCommands;
import org.junit.jupiter.api.Test;

/**
 * README quotes the jar's version where a reader compares it with what they see: the agent's {@code active} log
 * line (which the demo prints) and the Maven coordinates to fetch the jar by.
 */
class OnCallReadmeVersionTest {
    @Test
    void readmeQuotesTheVersionOfTheJar() throws IOException {
        Path readme = ReadmeCommands.readme();
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String version = AgentCli.jarVersion();
        assertThat(text).as("%s", readme)
                .contains("INFO grpc-etcd-agent " + version + " active: ")
                .contains("org.grpcetcd:grpc-etcd-agent:" + version);
        System.out.printf("OnCallReadmeVersionTest: README quotes version %s%n", version);
    }
}
