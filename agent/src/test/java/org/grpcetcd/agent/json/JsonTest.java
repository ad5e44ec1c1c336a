package org.grpcetcd.agent.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsEtcdAnswers() {
        Map<String, Object> answer = Json.parseObject("{\"header\":{\"revision\":\"7\"},\"kvs\":[{\"key\":\"YQ==\","
                + "\"lease\":\"694\"}],\"count\":\"1\",\"more\":false,\"n\":-12,\"f\":1.5,\"x\":null}");
        assertThat(answer.get("header")).isEqualTo(Map.of("revision", "7"));
        assertThat((List<?>) answer.get("kvs")).hasSize(1);
        assertThat(answer).containsEntry("more", false).containsEntry("n", -12L).containsEntry("x", null);
        assertThat(answer.get("f").toString()).isEqualTo("1.5");
    }

    @Test
    void readsEscapes() {
        assertThat(Json.parse("\"a\\\"b\\\\c\\n\\u00e9\\/\"")).isEqualTo("a\"b\\c\n\u00e9/");
    }

    @Test
    void quoteRoundTrips() {
        String text = "he said \"hi\"\\\n\t\u0001 é";
        assertThat(Json.parse(Json.quote(text))).isEqualTo(text);
    }

    @Test
    void refusesBrokenInput() {
        assertThatThrownBy(() -> Json.parse("{\"a\":}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":1} trailing")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1,")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parseObject("[]")).isInstanceOf(IllegalArgumentException.class);
    }
}
