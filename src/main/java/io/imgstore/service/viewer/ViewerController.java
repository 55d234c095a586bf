package io.imgstore.service.viewer;

import io.swagger.v3.oas.annotations.Hidden;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the viewer page ({@code /}, static files under {@code /viewer/}) asks the server before it
 * starts: whether this server shows one store only. Part of the page, not of the public API: hidden
 * from the OpenAPI description.
 */
@Hidden
@RestController
public class ViewerController {

    private final ViewerProperties properties;

    public ViewerController(ViewerProperties properties) {
        this.properties = properties;
    }

    @GetMapping("/viewer/config")
    public Map<String, Object> config() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("single_store", properties.singleStore());
        return out;
    }
}
