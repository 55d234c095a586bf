package io.imgstore;

import io.imgstore.cli.ImgstoreCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One jar, two faces: without arguments, with {@code serve [Spring properties]} or with only Spring
 * properties ({@code --server.port=9000}) it starts the HTTP service; anything else is the CLI
 * ({@code info}, {@code extract}, ...), which exits when done (unknown words are usage errors, exit 2).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImgstoreApplication {

    public static void main(String[] args) {
        String[] springArgs = ImgstoreCommand.serverArgs(args);
        if (springArgs == null) {
            System.exit(ImgstoreCommand.run(args));
        }
        SpringApplication.run(ImgstoreApplication.class, springArgs);
    }
}
