package dev.courier.notifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.courier.notifier", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching("dev.courier.notifier.(*)..")
            .should()
            .beFreeOfCycles()
            .because(
                    "a reader follows the notifier bottom-up (schedule, signing, application, endpoint, notification,"
                            + " message, isolation, delivery, kafka, health, then the wiring); a cycle would leave no place to start");

    @ArchTest
    static final ArchRule theRootHoldsOnlySharedValues = noClasses()
            .that()
            .resideInAPackage("dev.courier.notifier")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.notifier.*..")
            .because("the root package holds what every feature shares (properties, the root exception, storable"
                    + " text); wiring lives in config, so nothing in the root may reach down into a feature");

    @ArchTest
    static final ArchRule noFeatureDependsOnTheWiring = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.notifier.config..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.notifier.config..")
            .because("the wiring is built from the features, never the other way");

    @ArchTest
    static final ArchRule httpStaysInTheApiLayer = noClasses()
            .that()
            .resideOutsideOfPackages("dev.courier.notifier.api..", "dev.courier.notifier.config..")
            .and()
            .haveSimpleNameNotEndingWith("Controller")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.notifier.api..")
            .because("the domain throws exceptions named for what happened (InvalidInputException,"
                    + " NoSuchResourceException, StateConflictException); only the API layer turns them into HTTP"
                    + " statuses, so the Kafka intake never handles an HTTP-named exception");
}
