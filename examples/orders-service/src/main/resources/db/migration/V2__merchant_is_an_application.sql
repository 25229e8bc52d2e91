-- The merchant is an application at the notifier now, found by its id: no endpoint id to remember.
DROP TABLE merchant_endpoint;
