package io.imgstore;

import io.imgstore.cli.ImgstoreCommand;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One jar, two faces: with a CLI command as first argument ({@code info}, {@code extract}, ...)
 * it runs that command and exits; otherwise (no argument, {@code serve}, or Spring options) it
 * starts the HTTP service.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImgstoreApplication {

    public static void main(String[] args) {
        if (ImgstoreCommand.isCliInvocation(args)) {
            System.exit(ImgstoreCommand.run(args));
        }
        String[] springArgs = args.length > 0 && args[0].equals("serve")
                ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        SpringApplication.run(ImgstoreApplication.class, springArgs);
    }
}
