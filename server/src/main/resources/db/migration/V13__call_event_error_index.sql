-- The overview counts a period's error events: read them by organization and time, as the turn series reads
-- turns (call_events_turns_org_at), instead of every call's events by primary key.
create index call_events_errors_org_at on call_events (org_id, at) where type = 'error';
