package io.imgstore.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package layout is the architecture: the format library stands alone. */
@AnalyzeClasses(packages = "io.imgstore", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule formatLibraryKnowsNoSpringOrHttp = noClasses()
            .that().resideInAPackage("io.imgstore.format..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.springframework..", "jakarta.servlet..", "jakarta.websocket..", "io.micrometer..")
            .because("the format library is usable without the service");

    @ArchTest
    static final ArchRule formatLibraryDoesNotDependOnServiceOrCli = noClasses()
            .that().resideInAPackage("io.imgstore.format..")
            .should().dependOnClassesThat().resideInAnyPackage("io.imgstore.service..", "io.imgstore.cli..");

    @ArchTest
    static final ArchRule javacvOnlyInTheCodecPackage = noClasses()
            .that().resideOutsideOfPackage("io.imgstore.format.codec..")
            .should().dependOnClassesThat().resideInAnyPackage("org.bytedeco..")
            .because("JavaCV is wrapped in one place; frames leave it as plain Java images");

    @ArchTest
    static final ArchRule cliDoesNotReachIntoTheWebLayer = noClasses()
            .that().resideInAPackage("io.imgstore.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.imgstore.service.read..", "io.imgstore.service.ingest..");

    /**
     * Features ({@code read}, {@code ingest}, {@code live}, {@code viewer}) depend on the shared
     * packages ({@code web}, {@code security}, {@code catalog}), never the reverse; {@code live} builds on
     * {@code read} and {@code ingest}, which do not know it.
     */
    @ArchTest
    static final ArchRule noCyclesBetweenServicePackages = slices()
            .matching("io.imgstore.service.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule webKnowsNoFeature = noClasses()
            .that().resideInAPackage("io.imgstore.service.web..")
            .should().dependOnClassesThat().resideInAnyPackage("io.imgstore.service.read..",
                    "io.imgstore.service.ingest..", "io.imgstore.service.live..", "io.imgstore.service.viewer..",
                    "io.imgstore.service.security..")
            .because("exceptions of a feature carry their own problem (ApiError); web maps them without knowing them");

    @ArchTest
    static final ArchRule readAndIngestDoNotKnowLive = noClasses()
            .that().resideInAnyPackage("io.imgstore.service.read..", "io.imgstore.service.ingest..")
            .should().dependOnClassesThat().resideInAPackage("io.imgstore.service.live..");

    @ArchTest
    static final ArchRule formatInternalOnlyUsedByTheLibrary = classes()
            .that().resideInAPackage("io.imgstore.format.internal..")
            .should().onlyBeAccessed().byAnyPackage("io.imgstore.format..")
            .because("format.internal is the library's implementation; the service and CLI use its public API");

    @ArchTest
    static final ArchRule noCyclesBetweenLibraryPackages = slices()
            .matching("io.imgstore.format.(*)..")
            .should().beFreeOfCycles();
}
