-- SMS delivery receipts name the gateway's message id (providerId) when the process that
-- sent the message is gone: find the delivery by it.
CREATE INDEX push_deliveries_provider ON push_deliveries (provider_id) WHERE channel = 'sms' AND provider_id IS NOT NULL;
