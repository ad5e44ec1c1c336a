package org.grpcetcd.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchCommandTest {
    @Test
    void whatChangedDuringAnOutageIsPrintedAsTheWatchWouldHave() {
        Map<String, String> before = Map.of("orders/a:1", "A", "orders/b:1", "B", "orders/c:1", "C");
        Map<String, String> after = Map.of("orders/a:1", "A", "orders/b:1", "B2", "orders/d:1", "D");
        assertThat(WatchCommand.changes(before, after)).containsExactly(" + orders/b:1 B2", " + orders/d:1 D",
                " - orders/c:1");
        assertThat(WatchCommand.changes(after, after)).isEmpty();
    }
}
