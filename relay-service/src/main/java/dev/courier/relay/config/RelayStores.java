package dev.courier.relay.config;

import dev.courier.relay.lease.LeaseStore;
import dev.courier.relay.lease.RelayControl;
import dev.courier.relay.park.ParkingStore;
import dev.courier.relay.source.OutboxSource;

/** The relay's database access, shared by the engine, the health indicators and the admin API. */
public record RelayStores(OutboxSource outbox, ParkingStore parking, LeaseStore leases, RelayControl control) {}
