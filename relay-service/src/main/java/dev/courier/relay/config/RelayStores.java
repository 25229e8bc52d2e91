package dev.courier.relay.config;

import dev.courier.relay.lease.LeaseStore;
import dev.courier.relay.lease.RelayControl;
import dev.courier.relay.park.ParkedMessages;
import dev.courier.relay.park.PollingParking;
import dev.courier.relay.retention.PublishedArchive;
import dev.courier.relay.source.OutboxSource;
import java.util.Optional;

/** The relay's database access, shared by the engine, the health indicators and the admin API. */
public record RelayStores(
        OutboxSource outbox,
        ParkedMessages parked,
        PollingParking pollingParking,
        LeaseStore leases,
        RelayControl control,
        Optional<PublishedArchive> published) {}
