package io.imgstore.service.read;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.core.annotation.AliasFor;

/**
 * {@code @WebMvcTest} of read controllers with only the read, shared web and security layers (the
 * security chain applies to every request): filters, advice and configurers of other feature
 * packages are left out, so these slices need none of those packages' beans.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest(excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX,
        pattern = "io\\.imgstore\\.service\\.(?!read\\.|web\\.|security\\.).*"))
@interface ReadWebMvcTest {

    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value() default {};
}
