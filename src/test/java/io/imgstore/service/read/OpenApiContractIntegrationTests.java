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
 * The hand-written contract ({@code openapi/*.yaml}: {@code openapi.yaml} for reading,
 * {@code ingest.yaml} for writing) and the running service's generated description
 * ({@code /v3/api-docs}) must name the same operations: every path + method, its path and query
 * parameters, and its operationId where the contract gives one. WebSocket upgrades (operations whose
 * only answer is {@code 101}) are in the contract only. Add an endpoint or a parameter, and this test
 * asks for the contract to be updated (or the other way round).
 */
class OpenApiContractIntegrationTests extends ReadIntegrationTestBase {

    static final Path CONTRACTS = Path.of("openapi");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void contractFilesAndGeneratedDescriptionNameTheSameOperations() throws Exception {
        Map<String, Operation> contract = new TreeMap<>();
        try (var files = Files.list(CONTRACTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                Map<String, Object> doc = new Yaml().load(Files.readString(f));
                operations(doc).forEach((k, op) -> {
                    if (!op.websocket()) {
                        assertThat(contract.put(k, op)).as("%s described twice (again in %s)", k, f).isNull();
                    }
                });
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> generated = HttpTestSupport.JSON.readValue(http.get("/v3/api-docs").body(), Map.class);
        Map<String, Operation> service = operations(generated);
        assertThat(contract.keySet())
                .as("operations (METHOD /path) in %s/*.yaml vs /v3/api-docs", CONTRACTS)
                .containsExactlyInAnyOrderElementsOf(service.keySet());
        service.forEach((op, generatedOp) -> {
            Operation described = contract.get(op);
            assertThat(described.parameters()).as("path and query parameters of %s", op)
                    .isEqualTo(generatedOp.parameters());
            if (described.operationId() != null) {
                assertThat(described.operationId()).as("operationId of %s", op).isEqualTo(generatedOp.operationId());
            }
        });
    }

    @Test
    void swaggerUiIsServedAndOffersTheContract() {
        assertThat(http.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
        assertThat(http.get("/openapi/openapi.yaml").statusCode()).isEqualTo(200);
        assertThat(http.get("/openapi/ingest.yaml").statusCode()).isEqualTo(200);
        assertThat(HttpTestSupport.text(http.get("/v3/api-docs/swagger-config")))
                .contains("/openapi/openapi.yaml").contains("/openapi/ingest.yaml");
    }

    @Test
    void swaggerUiOpensOnTheTitledVersionedReadContract() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = HttpTestSupport.JSON.readValue(
                HttpTestSupport.text(http.get("/v3/api-docs/swagger-config")), Map.class);
        assertThat(config.get("urls.primaryName")).isEqualTo("read (openapi/openapi.yaml)");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> urls = (List<Map<String, Object>>) config.get("urls");
        assertThat(urls).anySatisfy(u -> {
            assertThat(u.get("name")).isEqualTo(config.get("urls.primaryName"));
            assertThat(u.get("url")).isEqualTo("/openapi/openapi.yaml");
        });
        String pomVersion = java.util.regex.Pattern.compile("<artifactId>imgstore-java</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml"))).results().findFirst().orElseThrow().group(1);
        @SuppressWarnings("unchecked")
        Map<String, Object> served = new Yaml().load(HttpTestSupport.text(http.get("/openapi/openapi.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> info = (Map<String, Object>) served.get("info");
        assertThat(info.get("title")).isEqualTo("imgstore-java read API");
        assertThat(info.get("version")).isEqualTo(pomVersion);
    }

    @Test
    void contractsUseRelativeServers() throws Exception {
        try (var files = Files.list(CONTRACTS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Map<String, Object> doc = new Yaml().load(Files.readString(f));
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> servers = (List<Map<String, Object>>) doc.get("servers");
                assertThat(servers).as("servers of %s", f).isNotEmpty();
                servers.forEach(srv -> assertThat(String.valueOf(srv.get("url"))).as("server of %s", f)
                        .doesNotContain("://").startsWith("/"));
            }
        }
    }

    /** One operation: its id, its {@code in:name} path and query parameters, whether it is a WebSocket upgrade. */
    record Operation(String operationId, Set<String> parameters, boolean websocket) {
    }

    /** "METHOD /path" -> operation. */
    @SuppressWarnings("unchecked")
    static Map<String, Operation> operations(Map<String, Object> doc) {
        Map<String, Operation> out = new TreeMap<>();
        Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
        paths.forEach((path, item) -> {
            Map<String, Object> pathItem = (Map<String, Object>) item;
            List<Object> shared = (List<Object>) pathItem.getOrDefault("parameters", List.of());
            pathItem.forEach((method, op) -> {
                if (!METHODS.contains(method)) {
                    return;
                }
                Map<String, Object> operation = (Map<String, Object>) op;
                Set<String> params = new TreeSet<>();
                List<Object> all = new java.util.ArrayList<>(shared);
                all.addAll((List<Object>) operation.getOrDefault("parameters", List.of()));
                for (Object p : all) {
                    Map<String, Object> param = resolve(doc, (Map<String, Object>) p);
                    if ("path".equals(param.get("in")) || "query".equals(param.get("in"))) {
                        params.add(param.get("in") + ":" + param.get("name"));
                    }
                }
                Map<String, Object> responses = (Map<String, Object>) operation.getOrDefault("responses", Map.of());
                boolean websocket = responses.keySet().stream().map(String::valueOf).toList().equals(List.of("101"));
                Object id = operation.get("operationId");
                out.put(method.toUpperCase() + " " + path, new Operation(id == null ? null : id.toString(), params,
                        websocket));
            });
        });
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
