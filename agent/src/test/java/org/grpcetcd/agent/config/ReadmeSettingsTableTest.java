package org.grpcetcd.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** README.md's settings table is the users' reference: it must list exactly the settings the agent reads. */
class ReadmeSettingsTableTest {
    @Test
    void everySettingIsInTheReadmeTableWithItsEnvironmentVariableAndDefault() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (line.startsWith("| `grpc.etcd.")) {
                String[] cells = line.split("\\|");
                rows.put(unquote(cells[1]), new String[] {unquote(cells[2]), unquote(cells[3])});
            }
        }
        assertThat(rows.keySet()).containsExactlyInAnyOrder(
                java.util.Arrays.stream(Setting.values()).map(Setting::systemProperty).toArray(String[]::new));
        for (Setting setting : Setting.values()) {
            String[] row = rows.get(setting.systemProperty());
            assertThat(row[0]).as("environment variable of %s", setting).isEqualTo(setting.environmentVariable());
            assertThat(row[1]).as("default of %s", setting)
                    .isEqualTo(setting.defaultValue() == null ? "(none)" : setting.defaultValue());
        }
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }
}
