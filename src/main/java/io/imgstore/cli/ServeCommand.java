package io.imgstore.cli;

import io.imgstore.ImgstoreApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code imgstore serve [--server.port=9000 ...]}: the HTTP service, with Spring Boot properties as
 * arguments. Also what the jar does without arguments. Runs until stopped (Ctrl+C, SIGTERM).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = ImgstoreCommand.Version.class,
        description = {"Start the HTTP service (the default without arguments). Arguments are Spring Boot "
                + "properties, e.g. --server.port=9000 --imgstore.root=/data/stores."})
final class ServeCommand implements Callable<Integer> {

    @Unmatched
    List<String> springArgs = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        for (String a : springArgs) {
            if (!ImgstoreCommand.isSpringArgument(a)) {
                throw new ParameterException(spec.commandLine(),
                        "'" + a + "' is not a Spring property (--name.key=value, e.g. --server.port=9000)");
            }
        }
        ConfigurableApplicationContext ctx = SpringApplication.run(ImgstoreApplication.class,
                springArgs.toArray(String[]::new));
        CountDownLatch closed = new CountDownLatch(1);
        ctx.addApplicationListener(e -> {
            if (e instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        if (ctx.isActive()) {
            closed.await();
        }
        return 0;
    }
}
