package dev.courier.rocketmq.autoconfigure;

import dev.courier.outbox.Database;
import dev.courier.outbox.spring.TransactionManagerLookup;
import dev.courier.rocketmq.TransactionalSender;
import dev.courier.rocketmq.fence.FenceRetention;
import dev.courier.rocketmq.fence.FenceSchema;
import dev.courier.rocketmq.fence.FenceStore;
import dev.courier.rocketmq.spring.SpringLocalTransactions;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.rocketmq.client.producer.TransactionMQProducer;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Creates the {@link TransactionalSender} from {@code courier.rocketmq.*} when a name server is configured, on the
 * application's single {@link DataSource}; local transactions are Spring transactions on its transaction manager.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"
        })
@ConditionalOnClass({TransactionMQProducer.class, PlatformTransactionManager.class})
@ConditionalOnSingleCandidate(DataSource.class)
@ConditionalOnProperty(prefix = "courier.rocketmq", name = "name-server")
@EnableConfigurationProperties(RocketMqProperties.class)
public final class RocketMqAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FenceStore courierFenceStore(
            DataSource dataSource, RocketMqProperties properties, ObjectProvider<FenceMigration> migration) {
        Database database = Database.of(dataSource);
        FenceSchema schema = new FenceSchema(database, properties.fence().table());
        // Without Flyway (or with migrate=false) the application applies the schema: check it is there.
        if (migration.getIfAvailable() != null) {
            schema.migrate(dataSource);
        } else {
            schema.requireExists(dataSource);
        }
        return new FenceStore(dataSource, database, properties.fence().table(), properties.checkLockTimeout());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    TransactionalSender transactionalSender(
            DataSource dataSource,
            RocketMqProperties properties,
            FenceStore fence,
            ListableBeanFactory beans,
            ObjectProvider<MeterRegistry> meterRegistry) {
        TransactionalSender.Builder builder = TransactionalSender.builder(dataSource)
                .nameServer(properties.nameServer())
                .group(properties.group())
                .topics(properties.topics())
                .fence(fence)
                .sendTimeout(properties.sendTimeout())
                .checkThreads(properties.checkThreads())
                .meterRegistry(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
        TransactionManagerLookup.forDataSource(dataSource, beans)
                .ifPresent(manager -> builder.localTransactions(
                                senderFence -> new SpringLocalTransactions(dataSource, manager, senderFence))
                        .beforeSend(SpringLocalTransactions::requireNoActiveTransaction));
        return builder.build();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(name = "courier.rocketmq.fence.cleanup-enabled", matchIfMissing = true)
    FenceRetention courierFenceRetention(FenceStore fence, RocketMqProperties properties) {
        return new FenceRetention(
                fence, properties.fence().retention(), properties.fence().cleanupInterval(), Clock.systemUTC());
    }

    /** Present when the fence table is to be migrated at start-up: Flyway is on the class path and not turned off. */
    record FenceMigration() {}

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flyway.class)
    @ConditionalOnProperty(name = "courier.rocketmq.fence.migrate", matchIfMissing = true)
    static class FenceMigrationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        FenceMigration courierFenceMigration() {
            return new FenceMigration();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "transactionalSenderHealthIndicator")
        HealthIndicator transactionalSenderHealthIndicator(TransactionalSender sender) {
            return new TransactionalSenderHealthIndicator(sender);
        }
    }
}
