package io.imgstore.service.read;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The stores under the root: listing, summary, metadata. */
@RestController
class StoreController {

    private final StoreQueries stores;

    StoreController(StoreQueries stores) {
        this.stores = stores;
    }

    @Operation(operationId = "listStores", summary = "Every store under the root (any depth), sorted by path",
            description = "Read from each store's metadata.yaml only (cheap). New stores appear within "
                    + "imgstore.scan-interval. X-Total-Count gives the number of matching stores; with a limit, "
                    + "a Link header points to the next page.")
    @GetMapping("/stores")
    ResponseEntity<List<StoreListItem>> list(
            @Parameter(description = "case-insensitive substring of the store path") @RequestParam(required = false) String q,
            @Parameter(description = "store class, e.g. VideoImgStore") @RequestParam(name = "class", required = false) String cls,
            @Parameter(description = "store format, e.g. avc1/mp4") @RequestParam(required = false) String format,
            @Parameter(description = "stores to skip") @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "most stores returned (default: all)") @RequestParam(required = false) Integer limit) {
        StorePage page = stores.list(q, cls, format, offset, limit);
        HttpHeaders h = new Paging(offset, limit, page.total()).headers();
        return ResponseEntity.ok().headers(h).body(page.items());
    }

    @Operation(operationId = "getStore", summary = "Summary of one store (opens it)")
    @GetMapping("/stores/{id}")
    StoreSummary summary(@PathVariable String id) {
        return stores.summary(id);
    }

    @Operation(operationId = "getStoreMetadata", summary = "The store's metadata.yaml: the __store block and the user metadata")
    @GetMapping("/stores/{id}/metadata")
    Map<String, Object> metadata(@PathVariable String id) {
        return stores.metadata(id);
    }
}
