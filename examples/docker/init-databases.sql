-- The demo's databases: orders, outbox and relay in one; the notifier, a service of its own, in another.
CREATE DATABASE courier_demo;
CREATE DATABASE courier_demo_notifier;
