package dev.courier.outbox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.courier.outbox.inbox.Inbox;
import dev.courier.outbox.internal.InboxBuilder;
import dev.courier.outbox.internal.JacksonPayloadSerializer;
import dev.courier.outbox.internal.OutboxBuilder;
import org.springframework.boot.autoconfigure.AutoConfiguration;

@AnalyzeClasses(packages = "dev.courier.outbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule packagesAreFreeOfCyclesButTheBuilderShortcuts = slices().matching("dev.courier.(**)")
            .should()
            .beFreeOfCycles()
            .ignoreDependency(Outbox.class, OutboxBuilder.class)
            .ignoreDependency(Inbox.class, InboxBuilder.class)
            .ignoreDependency(PayloadSerializer.class, JacksonPayloadSerializer.class)
            .because("the packages read bottom-up (the API, schema, internal, inbox, spring, autoconfigure); the one"
                    + " documented exception is the API's shortcut to its default implementation, Outbox.builder(),"
                    + " Inbox.builder() and PayloadSerializer.json(), which spares users an import of internal");

    @ArchTest
    static final ArchRule schemaStaysBelowTheImplementation = noClasses()
            .that()
            .resideInAPackage("dev.courier.outbox.schema")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.courier.outbox.internal..",
                    "dev.courier.outbox.inbox..",
                    "dev.courier.outbox.spring..",
                    "dev.courier.outbox.autoconfigure..")
            .because("the table layout, the SQL dialect and the migrations are the public home that the relay and"
                    + " the RocketMQ fence build on; they depend on nothing but the API's Database and identifiers");

    @ArchTest
    static final ArchRule coreIsFrameworkFree = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.courier.outbox",
                    "dev.courier.outbox.internal",
                    "dev.courier.outbox.inbox",
                    "dev.courier.outbox.kafka",
                    "dev.courier.outbox.retention",
                    "dev.courier.outbox.schema")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..")
            .because("plain JDBC users get the outbox without Spring; Spring stays in .spring and .autoconfigure");

    @ArchTest
    static final ArchRule kafkaStaysOptional = noClasses()
            .that()
            .resideOutsideOfPackages(
                    "dev.courier.outbox.kafka", "dev.courier.outbox.spring", "dev.courier.outbox.autoconfigure")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.apache.kafka..", "org.springframework.kafka..")
            .because("the Kafka client is optional: only the Kafka inbox, its spring-kafka listener and their wiring"
                    + " may load it");

    @ArchTest
    static final ArchRule flywayStaysOptional = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.outbox.autoconfigure")
            .and()
            .doNotHaveSimpleName("SchemaMigration")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.flywaydb..")
            .because("Flyway is optional: only SchemaMigration may load it, and only when a migration is asked for");

    @ArchTest
    static final ArchRule apiDoesNotExposeBootWiring = noClasses()
            .that()
            .resideOutsideOfPackage("dev.courier.outbox.autoconfigure")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.courier.outbox.autoconfigure", "org.springframework.boot..")
            .because("Boot wiring sits at the edge; nothing else may depend on it");

    @ArchTest
    static final ArchRule autoConfigurationsArePublic = classes()
            .that()
            .areAnnotatedWith(AutoConfiguration.class)
            .should()
            .bePublic()
            .because("an application turns an auto-configuration off by class (exclude = ...), which needs the"
                    + " class to be visible from its package");
}
