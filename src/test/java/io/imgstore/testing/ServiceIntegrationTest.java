package io.imgstore.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The service's integration tests ({@code *IntegrationTests}): the whole application on a random
 * port ({@code @SpringBootTest(webEnvironment = RANDOM_PORT)}), tagged {@code integration}. Each
 * test class sets its own store root and settings with a {@code @DynamicPropertySource} and gets
 * the port with {@code @LocalServerPort}. Inherited, so subclasses of an annotated base class
 * (e.g. {@code ReadIntegrationTestBase}) are integration tests too.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Tag("integration")
public @interface ServiceIntegrationTest {
}
