package dev.nncore.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void classExample() {
        Map<String, Object> config = Json.parseObject("{\"units\": 2, \"activation\": \"relu\"}");
        double units = (Double) config.get("units");     // 2.0
        String text = Json.write(config);                 // {"units":2,"activation":"relu"}
        assertThat(units).isEqualTo(2.0);
        assertThat(text).isEqualTo("{\"units\":2,\"activation\":\"relu\"}");
    }

    @Test
    void parsesEveryKindOfValue() {
        Object value = Json.parse(" {\"a\": [1, -2.5e-3, true, false, null, \"x\\n\\u00e9\\\"\"], \"b\": {}, \"c\": []} ");
        assertThat(value).isEqualTo(Map.of("a", java.util.Arrays.asList(1.0, -2.5e-3, true, false, null, "x\né\""),
                "b", Map.of(), "c", List.of()));
    }

    @Test
    void keepsKeyOrderAndFullDoublePrecision() {
        Map<String, Object> object = Json.parseObject("{\"z\": 1.2999999523162842, \"a\": 0.1}");
        assertThat(object.keySet()).containsExactly("z", "a");
        assertThat(((Double) object.get("z")).floatValue()).isEqualTo(1.3f);
    }

    @Test
    void acceptsPythonsNonFiniteNumbers() {
        assertThat(Json.parse("[NaN, Infinity, -Infinity]")).isEqualTo(
                List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    @Test
    void errorsGiveOffsetLineAndColumn() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,\n \"b\" 2}")).isInstanceOf(Json.ParseException.class)
                .hasMessage("JSON at offset 14 (line 2, column 6): expected ':' after object key \"b\"");
        assertThatThrownBy(() -> Json.parse("[1, 2")).hasMessageContaining("unexpected end of text");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("after the JSON value");
        assertThatThrownBy(() -> Json.parse("[1.2.3]")).hasMessageContaining("malformed number '1.2.3'");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object at the top level, got an array");
    }

    @Test
    void refusesDeepNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> Json.parse(deep)).isInstanceOf(Json.ParseException.class)
                .hasMessageContaining("nesting deeper than 256 levels");
        String ok = "[".repeat(256) + "]".repeat(256);
        assertThat(Json.parse(ok)).isInstanceOf(List.class);
    }

    @Test
    void writesFloatsInTheirShortestExactForm() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("w", new float[] {1.3f, -0.5f, 2f});
        object.put("name", "tab\there");
        object.put("n", 7);
        object.put("list", List.of(true, 0.1));
        String text = Json.write(object);
        assertThat(text).isEqualTo("{\"w\":[1.3,-0.5,2],\"name\":\"tab\\there\",\"n\":7,\"list\":[true,0.1]}");
        List<?> back = (List<?>) Json.parseObject(text).get("w");
        assertThat(((Double) back.get(0)).floatValue()).isEqualTo(1.3f);
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("no representation for NaN");
    }

    @Test
    @SuppressWarnings("unchecked")
    void smallIntegersShareOneDoubleSoAHostileArrayOfZerosCostsAReferenceEach() throws Json.ParseException {
        java.util.List<Object> values = (java.util.List<Object>) Json.parseObject("{\"x\": [0, 0, 999, 999, 1000, -1, 5.5, 01]}").get("x");
        assertThat(values).containsExactly((Object) 0.0, 0.0, 999.0, 999.0, 1000.0, -1.0, 5.5, 1.0);
        assertThat(values.get(1)).isSameAs(values.get(0));
        assertThat(values.get(3)).isSameAs(values.get(2));
    }
}
