package dev.courier.localservices.rocketmq;

import dev.courier.localservices.ServiceUnavailableException;
import dev.courier.localservices.TestSettings;
import dev.courier.localservices.process.FreePorts;
import dev.courier.localservices.suite.SuiteResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.rocketmq.broker.BrokerController;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.BrokerConfig;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.constant.PermName;
import org.apache.rocketmq.common.namesrv.NamesrvConfig;
import org.apache.rocketmq.common.topic.TopicValidator;
import org.apache.rocketmq.namesrv.NamesrvController;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyServerConfig;
import org.apache.rocketmq.store.config.MessageStoreConfig;
import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RocketMQ name server + broker per test JVM: the name server named by {@code courier.test.rocketmq.namesrv}
 * (or {@code COURIER_TEST_ROCKETMQ_NAMESRV}), otherwise an in-process pair started on first use. Broker shutdown
 * takes 10-20 s, so it happens once, when the JVM exits.
 *
 * <p>Transactional-message timing is test-friendly but within the broker's sane range: a half message is first
 * checked back after {@link #TRANSACTION_TIMEOUT_MS}, then every {@link #TRANSACTION_CHECK_INTERVAL_MS}.
 */
public final class EmbeddedRocketMq {

    public static final long TRANSACTION_TIMEOUT_MS = 3_000;
    public static final long TRANSACTION_CHECK_INTERVAL_MS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRocketMq.class);
    private static String nameServer;
    private static BrokerController broker;

    private EmbeddedRocketMq() {}

    /** {@code host:port} of the name server, for {@code setNamesrvAddr}. */
    public static synchronized String nameServer() {
        if (nameServer == null) {
            nameServer = TestSettings.get("rocketmq.namesrv").orElseGet(EmbeddedRocketMq::start);
        }
        return nameServer;
    }

    /**
     * Creates {@code topic} (4 queues) on the in-process broker and registers its route with the name server, as an
     * operator creates a service's topics before it starts. Topics of an external broker must exist already.
     */
    public static synchronized void createTopic(String topic) {
        nameServer();
        if (broker == null) {
            return; // an external broker: its operator creates the topics
        }
        TopicConfig config = new TopicConfig(topic, 4, 4, PermName.PERM_READ | PermName.PERM_WRITE);
        broker.getTopicConfigManager().updateTopicConfig(config);
        broker.registerIncrementBrokerData(
                config, broker.getTopicConfigManager().getDataVersion());
        awaitRoute(nameServer, topic);
    }

    /** The broker registers routes with the name server in the background: waits until clients can see this one. */
    private static void awaitRoute(String nameServer, String topic) {
        DefaultMQProducer probe = new DefaultMQProducer("courier-route-probe");
        probe.setNamesrvAddr(nameServer);
        probe.setInstanceName("courier-route-probe-" + System.nanoTime());
        try {
            probe.start();
            Awaitility.await("the route of topic " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .ignoreException(MQClientException.class)
                    .until(() -> !probe.fetchPublishMessageQueues(topic).isEmpty());
        } catch (MQClientException e) {
            throw new IllegalStateException("could not start a client to look up topic " + topic, e);
        } finally {
            probe.shutdown();
        }
    }

    private static String start() {
        return startOn(freePort(0), freeBrokerPort());
    }

    /** A free port for a broker: it also listens on port - 2 (VIP channel) and port + 1 (HA). */
    public static int freeBrokerPort() {
        return freePort(2);
    }

    /**
     * Starts the in-process name server and broker on the given ports (the broker also uses {@code brokerPort - 2}
     * and {@code brokerPort + 1}) and makes them this JVM's pair, e.g. for a demo on well-known ports.
     *
     * @return the name server's {@code host:port}
     */
    public static synchronized String startOn(int nameServerPort, int brokerPort) {
        if (nameServer != null) {
            throw new IllegalStateException("RocketMQ already runs in this JVM at " + nameServer);
        }
        nameServer = launch(nameServerPort, brokerPort);
        return nameServer;
    }

    private static String launch(int nameServerPort, int brokerPort) {
        long started = System.nanoTime();
        try {
            Path home = Files.createTempDirectory("courier-rocketmq");
            // Read by RocketMQ's static initialisers: set before its classes load.
            System.setProperty("rocketmq.home.dir", home.toString());
            System.setProperty("tls.server.mode", "disabled");
            System.setProperty("rocketmq.client.logUseSlf4j", "true");

            NamesrvConfig namesrvConfig = new NamesrvConfig();
            namesrvConfig.setRocketmqHome(home.toString());
            namesrvConfig.setKvConfigPath(home.resolve("namesrv/kvConfig.json").toString());
            namesrvConfig.setConfigStorePath(
                    home.resolve("namesrv/namesrv.properties").toString());
            NettyServerConfig namesrvNetty = new NettyServerConfig();
            namesrvNetty.setListenPort(nameServerPort);
            NamesrvController namesrv = new NamesrvController(namesrvConfig, namesrvNetty, new NettyClientConfig());
            if (!namesrv.initialize()) {
                throw new IllegalStateException("name server did not initialize");
            }
            namesrv.start();
            String address = "127.0.0.1:" + nameServerPort;

            BrokerConfig brokerConfig = new BrokerConfig();
            brokerConfig.setBrokerName("courier-test-broker");
            brokerConfig.setBrokerClusterName("DefaultCluster");
            brokerConfig.setNamesrvAddr(address);
            brokerConfig.setBrokerIP1("127.0.0.1");
            brokerConfig.setRocketmqHome(home.toString());
            brokerConfig.setAutoCreateTopicEnable(true);
            brokerConfig.setTransactionTimeOut(TRANSACTION_TIMEOUT_MS);
            brokerConfig.setTransactionCheckInterval(TRANSACTION_CHECK_INTERVAL_MS);
            brokerConfig.setEnablePropertyFilter(true);
            NettyServerConfig brokerNetty = new NettyServerConfig();
            brokerNetty.setListenPort(brokerPort);
            MessageStoreConfig store = new MessageStoreConfig();
            store.setStorePathRootDir(home.resolve("store").toString());
            store.setStorePathCommitLog(home.resolve("store/commitlog").toString());
            store.setMappedFileSizeCommitLog(64 * 1024 * 1024);
            store.setMappedFileSizeConsumeQueue(300_000 * 20);
            store.setHaListenPort(brokerPort + 1);
            store.setDiskMaxUsedSpaceRatio(95);
            store.setTimerWheelEnable(false);
            BrokerController broker = new BrokerController(brokerConfig, brokerNetty, new NettyClientConfig(), store);
            if (!broker.initialize()) {
                throw new IllegalStateException("broker did not initialize");
            }
            broker.start();
            // The broker's first registration with the name server runs in the background and carries the topics of
            // its start: a topic created before it lands would lose its route. Its default topic marks it done.
            awaitRoute(address, TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC);
            EmbeddedRocketMq.broker = broker;
            SuiteResources.register("the in-process RocketMQ", () -> {
                broker.shutdown();
                namesrv.shutdown();
            });
            log.info(
                    "In-process RocketMQ ready: name server {}, broker port {} in {} ms",
                    address,
                    brokerPort,
                    (System.nanoTime() - started) / 1_000_000);
            return address;
        } catch (Exception e) {
            throw new ServiceUnavailableException(
                    "Could not start the in-process RocketMQ (" + e
                            + "); point the tests at a running name server with "
                            + TestSettings.environmentName("rocketmq.namesrv"),
                    e);
        }
    }

    /** A port p with p - below .. p + 1 all free (see {@link FreePorts}). */
    private static int freePort(int below) {
        return FreePorts.pick(below, 1);
    }
}
