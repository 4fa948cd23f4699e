-- The overview's turn-latency series reads an organization's `turn` events by time (bench/run api measures
-- it at a million calls: without this index it is a sequential scan of every call's events).
create index call_events_turns_org_at on call_events (org_id, at) where type = 'turn';
