package org.llama3j.server.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llama3j.server.http.Json;

class ToolCallsTest {

    @Test
    void jsonToolCallWithParameters() throws Exception {
        ToolCalls.Call c = ToolCalls.parse(" {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\", \"days\": 2}}\n");
        assertEquals("get_weather", c.name());
        assertEquals(Json.MAPPER.readTree("{\"city\":\"Paris\",\"days\":2}"), Json.MAPPER.readTree(c.argumentsJson()));
    }

    @Test
    void pythonTagJsonAndBuiltinCalls() throws Exception {
        ToolCalls.Call c = ToolCalls.parse("<|python_tag|>{\"name\": \"f\", \"arguments\": {}}");
        assertEquals("f", c.name());
        assertEquals("{}", c.argumentsJson());
        ToolCalls.Call b = ToolCalls.parse("<|python_tag|>brave_search.call(query=\"weather in Menlo Park\", n='3')");
        assertEquals("brave_search", b.name());
        assertEquals(Json.MAPPER.readTree("{\"query\":\"weather in Menlo Park\",\"n\":\"3\"}"),
                Json.MAPPER.readTree(b.argumentsJson()));
    }

    @Test
    void proseAndBrokenJsonAreNotToolCalls() {
        assertNull(ToolCalls.parse("The weather is nice."));
        assertNull(ToolCalls.parse("{\"name\": \"f\", \"parameters\": "));
        assertNull(ToolCalls.parse("{\"city\": \"Paris\"}"));
        assertNull(ToolCalls.parse("<|python_tag|>print(1)"));
    }

    @Test
    void streamsHoldBackOnlyWhatMayStillBeACall() {
        assertTrue(ToolCalls.mayBeToolCall(""));
        assertTrue(ToolCalls.mayBeToolCall("  {\"na"));
        assertTrue(ToolCalls.mayBeToolCall("<|python"));
        assertFalse(ToolCalls.mayBeToolCall("Hello"));
    }

    @Test
    void promptFollowsTheLlama31TemplateLayout() throws Exception {
        JsonNode tool = Json.MAPPER.readTree("{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{\"required\":[\"x\"]}}}");
        String p = ToolCalls.prompt(List.of(tool));
        assertTrue(p.startsWith("Given the following functions, please respond with a JSON for a function call"), p);
        // Python json.dumps(indent=4) layout, as the template's tojson(indent=4)
        assertTrue(p.contains("{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"f\","), p);
        assertTrue(p.contains("\"required\": [\n                \"x\"\n            ]"), p);
        assertTrue(p.endsWith("}\n\n"), p);
        assertEquals("{\"name\": \"f\", \"parameters\": {\"x\": 1, \"y\": [1, 2], \"z\": {}}}",
                ToolCalls.render("f", Json.MAPPER.readTree("{\"x\":1,\"y\":[1,2],\"z\":{}}")));
    }
}
