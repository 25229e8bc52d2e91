package dev.courier.notifier.config;

import dev.courier.notifier.NotifierProperties;
import dev.courier.notifier.application.ApplicationStore;
import dev.courier.notifier.application.ApplicationTokens;
import dev.courier.notifier.delivery.ClaimStore;
import dev.courier.notifier.delivery.DeliveryClient;
import dev.courier.notifier.delivery.DeliveryMetrics;
import dev.courier.notifier.delivery.DeliveryObservation;
import dev.courier.notifier.delivery.Dispatcher;
import dev.courier.notifier.endpoint.EndpointStore;
import dev.courier.notifier.endpoint.EndpointValidator;
import dev.courier.notifier.health.BacklogMonitor;
import dev.courier.notifier.health.NotifierHealthIndicator;
import dev.courier.notifier.isolation.EndpointGuards;
import dev.courier.notifier.kafka.ConsumerSettings;
import dev.courier.notifier.kafka.KafkaIntake;
import dev.courier.notifier.message.MessageIntake;
import dev.courier.notifier.message.MessageStore;
import dev.courier.notifier.notification.FeedSettings;
import dev.courier.notifier.notification.Intake;
import dev.courier.notifier.notification.NotificationStore;
import dev.courier.notifier.notification.StatisticsKeeper;
import dev.courier.notifier.operator.OperatorEvents;
import dev.courier.notifier.security.AddressPolicy;
import dev.courier.notifier.security.GuardedDnsResolver;
import dev.courier.supervision.LoopHealthIndicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the notifier's parts; each is framework-free and takes its collaborators in its constructor. */
@Configuration(proxyBeanMethods = false)
class NotifierConfiguration {

    @Bean
    FeedSettings feedSettings(NotifierProperties properties) {
        return new FeedSettings(properties.feedSettle());
    }

    @Bean
    AddressPolicy addressPolicy(NotifierProperties properties) {
        try {
            return AddressPolicy.of(
                    properties.ssrf().enabled(), properties.ssrf().allow());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("courier.notifier.ssrf.allow: " + e.getMessage(), e);
        }
    }

    @Bean
    ApplicationStore applicationStore(JdbcClient jdbc) {
        return new ApplicationStore(jdbc);
    }

    /** Also the API's tenant tokens: an application's token reaches that application's paths only. */
    @Bean
    ApplicationTokens applicationTokens(JdbcClient jdbc) {
        return new ApplicationTokens(jdbc);
    }

    @Bean
    MessageStore messageStore(JdbcClient jdbc) {
        return new MessageStore(jdbc);
    }

    @Bean
    MessageIntake messageIntake(
            MessageStore messages,
            NotificationStore notifications,
            EndpointStore endpoints,
            ApplicationStore applications,
            TransactionTemplate transactions,
            NotifierProperties properties,
            Dispatcher dispatcher) {
        return new MessageIntake(
                messages,
                notifications,
                endpoints,
                applications,
                transactions,
                properties.maxBodySize().toBytes(),
                dispatcher::wake);
    }

    @Bean
    EndpointStore endpointStore(JdbcClient jdbc, TransactionTemplate transactions) {
        return new EndpointStore(jdbc, transactions);
    }

    @Bean
    EndpointValidator endpointValidator(NotifierProperties properties, AddressPolicy addressPolicy) {
        return new EndpointValidator(properties.maxEndpointTimeout(), addressPolicy);
    }

    @Bean
    NotificationStore notificationStore(JdbcClient jdbc, TransactionTemplate transactions) {
        return new NotificationStore(jdbc, transactions);
    }

    @Bean
    Intake intake(
            NotificationStore notifications,
            EndpointStore endpoints,
            NotifierProperties properties,
            Dispatcher dispatcher) {
        return new Intake(notifications, endpoints, properties.maxBodySize().toBytes(), dispatcher::wake);
    }

    @Bean
    ClaimStore claimStore(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            NotifierProperties properties,
            ApplicationEventPublisher events) {
        return new ClaimStore(
                jdbc,
                transactions,
                new ClaimStore.EndpointWatch(
                        properties.endpointFailingAfter(), properties.autoDisableAfter(), events::publishEvent));
    }

    @Bean
    EndpointGuards endpointGuards(NotifierProperties properties, MeterRegistry registry) {
        EndpointGuards guards = new EndpointGuards(properties.circuit());
        guards.bindMetrics(registry);
        return guards;
    }

    @Bean(destroyMethod = "close")
    DeliveryClient deliveryClient(NotifierProperties properties, AddressPolicy addressPolicy, MeterRegistry registry) {
        DeliveryClient client = new DeliveryClient(
                new GuardedDnsResolver(addressPolicy), properties.connectTimeout(), properties.maxInFlight());
        client.bindMetrics(registry);
        return client;
    }

    @Bean
    DeliveryMetrics deliveryMetrics(MeterRegistry registry) {
        return new DeliveryMetrics(registry);
    }

    @Bean
    Dispatcher dispatcher(
            ClaimStore claims,
            EndpointStore endpoints,
            EndpointGuards guards,
            DeliveryClient client,
            DeliveryMetrics metrics,
            ApplicationEventPublisher events,
            NotifierProperties properties,
            ObjectProvider<ObservationRegistry> observations) {
        Dispatcher.Settings settings = new Dispatcher.Settings(
                properties.instanceId(),
                properties.maxInFlight(),
                properties.batchSize(),
                properties.pollInterval(),
                properties.lease(),
                properties.maxEndpointTimeout(),
                (int) Math.ceil(properties.maxInFlight() * properties.retryShare()));
        DeliveryObservation observation = new DeliveryObservation(
                observations.getIfAvailable(() -> ObservationRegistry.NOOP),
                properties.tracing().deliveries());
        return new Dispatcher(claims, endpoints, guards, client, observation, metrics, events, settings);
    }

    /**
     * Operator events to the configured operator endpoint and Kafka topic; the producer is Spring Boot's KafkaTemplate
     * ({@code spring.kafka.*}), asked for only when a topic is set.
     */
    @Bean(destroyMethod = "close")
    OperatorEvents operatorEvents(
            NotifierProperties properties,
            Intake intake,
            ObjectProvider<KafkaTemplate<Object, Object>> kafka,
            MeterRegistry registry) {
        String topic = properties.operatorEvents().kafkaTopic();
        BiConsumer<String, String> toKafka = topic == null || topic.isBlank()
                ? null
                : (key, value) -> kafka.getObject().send(topic, key, value);
        return new OperatorEvents(intake, properties.operatorEvents().endpointId(), toKafka, registry);
    }

    @Bean(destroyMethod = "close")
    BacklogMonitor backlogMonitor(JdbcClient jdbc, EndpointGuards guards, MeterRegistry registry) {
        return new BacklogMonitor(jdbc, guards, registry, Duration.ofSeconds(5));
    }

    @Bean(destroyMethod = "close")
    StatisticsKeeper statisticsKeeper(JdbcClient jdbc) {
        return new StatisticsKeeper(jdbc, Duration.ofSeconds(2));
    }

    @Bean
    NotifierHealthIndicator notifierHealthIndicator(Dispatcher dispatcher, BacklogMonitor backlog) {
        return new NotifierHealthIndicator(dispatcher, backlog, Duration.ofSeconds(30));
    }

    /**
     * The Kafka intake, on when {@code courier.notifier.kafka.rules} names a topic; its client is the one Spring Boot
     * resolved for {@code spring.kafka.*} (connection details, SSL bundle and SASL included).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(prefix = "courier.notifier.kafka", name = "rules[0].topic")
    static class KafkaIntakeConfiguration {

        @Bean
        KafkaIntake kafkaIntake(
                NotifierProperties properties,
                ConsumerFactory<?, ?> springKafka,
                Intake intake,
                MessageIntake messages,
                MeterRegistry registry) {
            return new KafkaIntake(
                    ConsumerSettings.of(springKafka.getConfigurationProperties()),
                    properties.kafka(),
                    intake,
                    messages,
                    properties.maxBodySize().toBytes(),
                    registry);
        }

        /** {@code kafkaIntake} in health: DOWN while the intake loop fails or has stopped. */
        @Bean
        HealthIndicator kafkaIntakeHealthIndicator(KafkaIntake intake) {
            return new LoopHealthIndicator(intake.health());
        }
    }
}
