package dev.courier.rocketmq;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.springframework.boot.autoconfigure.AutoConfiguration;

@AnalyzeClasses(packages = "dev.courier.rocketmq", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.courier.(**)")
            .should()
            .beFreeOfCycles()
            .because(
                    "the adapter reads bottom-up: the fence table, the sender and its local transactions, the"
                            + " consumer, the Spring transactions, then the Boot wiring; a cycle would leave no place to start");

    @ArchTest
    static final ArchRule coreIsFrameworkFree = noClasses()
            .that()
            .resideInAnyPackage("dev.courier.rocketmq", "dev.courier.rocketmq.fence", "dev.courier.rocketmq.consumer")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..")
            .because("a plain JDBC application sends transactional messages without Spring; Spring stays in .spring"
                    + " (Spring-managed local transactions) and .autoconfigure (the Boot wiring)");

    @ArchTest
    static final ArchRule bootWiringStaysAtTheEdge = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.rocketmq.autoconfigure")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.courier.rocketmq.autoconfigure", "org.springframework.boot..")
            .because("Boot wiring sits at the edge; nothing else may depend on it");

    @ArchTest
    static final ArchRule outboxInternalsStayInside = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.outbox.internal..")
            .because("outbox-lib's internal package may change in any release; the fence builds on outbox-lib's"
                    + " public schema package (SqlDialect, SchemaMigration)");

    @ArchTest
    static final ArchRule autoConfigurationsArePublic = classes()
            .that()
            .areAnnotatedWith(AutoConfiguration.class)
            .should()
            .bePublic()
            .because("an application turns an auto-configuration off by class (exclude = ...), which needs the"
                    + " class to be visible from its package");
}
