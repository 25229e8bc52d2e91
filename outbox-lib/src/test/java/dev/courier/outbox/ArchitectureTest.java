package dev.courier.outbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.courier.outbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreIsFrameworkFree = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.courier.outbox",
                    "dev.courier.outbox.internal",
                    "dev.courier.outbox.inbox",
                    "dev.courier.outbox.retention")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..")
            .because("plain JDBC users get the outbox without Spring; Spring stays in .spring and .autoconfigure");

    @ArchTest
    static final ArchRule flywayStaysOptional = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.outbox.autoconfigure")
            .and()
            .doNotHaveSimpleName("FlywayMigrator")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.flywaydb..")
            .because("Flyway is optional: only FlywayMigrator may load it, and only when a migration is asked for");

    @ArchTest
    static final ArchRule apiDoesNotExposeBootWiring = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.outbox.autoconfigure")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.courier.outbox.autoconfigure", "org.springframework.boot..")
            .because("Boot wiring sits at the edge; nothing else may depend on it");
}
