package dev.courier.relay;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(packages = "dev.courier.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching("dev.courier.relay.(*)..")
            .should()
            .beFreeOfCycles()
            .because("a reader follows the relay bottom-up: db, source, park, publish, engine, lease, then the modes"
                    + " and the admin API; a cycle would leave no place to start");

    @ArchTest
    static final ArchRule theRootHoldsOnlySharedValues = noClasses()
            .that()
            .resideInAPackage("dev.courier.relay")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.relay.*..")
            .because("the root package holds what every feature shares (properties, circuits, leases, releases);"
                    + " wiring lives in config, so nothing in the root may reach down into a feature");

    @ArchTest
    static final ArchRule noFeatureReachesIntoTheModes = noClasses()
            .that()
            .resideInAnyPackage(
                    "dev.courier.relay.db..",
                    "dev.courier.relay.source..",
                    "dev.courier.relay.retention..",
                    "dev.courier.relay.park..",
                    "dev.courier.relay.publish..",
                    "dev.courier.relay.engine..",
                    "dev.courier.relay.lease..",
                    "dev.courier.relay.health..",
                    "dev.courier.relay.wakeup..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "dev.courier.relay.polling..",
                    "dev.courier.relay.cdc..",
                    "dev.courier.relay.admin..",
                    "dev.courier.relay.config..")
            .because("the modes, the admin API and the wiring are built from the features, never the other way");

    @ArchTest
    static final ArchRule outboxInternalsStayInside = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.courier.outbox.internal..")
            .because("outbox-lib's internal package may change in any release; the relay reads the outbox through"
                    + " outbox-lib's public schema package (OutboxTable, SqlDialect, SchemaMigration)");
}
