package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code openapi/openapi.yaml} (the hand-written contract) and the running service's generated
 * description ({@code /v3/api-docs}) must name the same operations: every path + method, its
 * operationId, and its path, query and header parameters. Add an endpoint or a parameter, and this
 * test asks for the contract to be updated (or the other way round).
 */
class OpenApiContractIntegrationTests extends ReadIntegrationTestBase {

    static final Path CONTRACT = Path.of("openapi", "openapi.yaml");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void contractFileAndGeneratedDescriptionNameTheSameOperations() throws Exception {
        Map<String, Object> contract = new Yaml().load(Files.readString(CONTRACT));
        @SuppressWarnings("unchecked")
        Map<String, Object> generated = HttpTestSupport.JSON.readValue(http.get("/v3/api-docs").body(), Map.class);
        Map<String, String> fromContract = operations(contract);
        Map<String, String> fromService = operations(generated);
        assertThat(fromContract.keySet())
                .as("operations (method path) in %s vs /v3/api-docs", CONTRACT)
                .containsExactlyInAnyOrderElementsOf(fromService.keySet());
        fromService.forEach((op, signature) ->
                assertThat(fromContract.get(op)).as("operationId and parameters of %s", op).isEqualTo(signature));
    }

    @Test
    void swaggerUiIsServedAndOffersTheContract() {
        assertThat(http.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(http.get("/openapi/openapi.yaml").statusCode()).isEqualTo(200);
        assertThat(HttpTestSupport.text(http.get("/v3/api-docs/swagger-config"))).contains("/openapi/openapi.yaml");
    }

    /** "METHOD /path" -> "operationId [in:name, ...]". */
    @SuppressWarnings("unchecked")
    static Map<String, String> operations(Map<String, Object> doc) {
        Map<String, String> out = new TreeMap<>();
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        paths.forEach((path, item) -> ((Map<String, Object>) item).forEach((method, op) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            Map<String, Object> operation = (Map<String, Object>) op;
            Set<String> params = new TreeSet<>();
            for (Object p : (List<Object>) operation.getOrDefault("parameters", List.of())) {
                Map<String, Object> param = resolve(doc, (Map<String, Object>) p);
                params.add(param.get("in") + ":" + param.get("name"));
            }
            out.put(method.toUpperCase() + " " + path, operation.get("operationId") + " " + params);
        }));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolve(Map<String, Object> doc, Map<String, Object> maybeRef) {
        Object ref = maybeRef.get("$ref");
        if (ref == null) {
            return maybeRef;
        }
        Object node = doc;
        for (String part : ref.toString().substring(2).split("/")) {
            node = ((Map<String, Object>) node).get(part);
        }
        return (Map<String, Object>) node;
    }
}
