-- Calls: one row per phone or browser call, appended to as it happens (events, transcript segments).
-- Listing is newest first by (started_at, id) within an organization, with optional filters; every
-- filter has an index that starts with org_id and ends with the sort order, so a page costs the same at
-- millions of rows.

alter table organizations add column max_concurrent_calls integer check (max_concurrent_calls > 0);

create table calls (
    org_id                 uuid        not null references organizations (id) on delete cascade,
    id                     uuid        primary key,
    direction              text        not null check (direction in ('inbound', 'outbound', 'web')),
    from_number            text        check (length(from_number) <= 100),
    to_number              text        check (length(to_number) <= 100),
    caller_id              text        check (length(caller_id) <= 200),
    agent_id               uuid        not null,
    agent_version          integer     not null,
    status                 text        not null check (status in
                               ('queued', 'ringing', 'in_progress', 'completed', 'failed', 'busy', 'no_answer', 'canceled')),
    end_reason             text,
    started_at             timestamptz not null default now(),
    answered_at            timestamptz,
    ended_at               timestamptz,
    metadata               jsonb       not null default '{}'::jsonb,
    node_id                text        not null,
    provider_call_id       text,
    events_dropped         integer     not null default 0,
    recording_status       text        not null default 'none' check (recording_status in
                               ('none', 'recording', 'retrying', 'complete', 'failed')),
    recording_key          text,
    recording_bytes        bigint,
    recording_duration_ms  bigint,
    recording_sha256       text,
    recording_attempts     integer     not null default 0,
    recording_error        text
);

create index calls_org_started on calls (org_id, started_at desc, id desc);
create index calls_org_agent_started on calls (org_id, agent_id, started_at desc, id desc);
create index calls_org_status_started on calls (org_id, status, started_at desc, id desc);
create index calls_org_direction_started on calls (org_id, direction, started_at desc, id desc);
create index calls_org_from_started on calls (org_id, from_number, started_at desc, id desc);
create index calls_org_to_started on calls (org_id, to_number, started_at desc, id desc);
-- Open calls: the concurrency limit counts them, the sweep closes those of dead nodes.
create index calls_open on calls (org_id) where ended_at is null;
create index calls_open_node on calls (node_id) where ended_at is null;
create unique index calls_provider_call on calls (provider_call_id) where provider_call_id is not null;

create table call_events (
    org_id   uuid        not null,
    call_id  uuid        not null references calls (id) on delete cascade,
    seq      integer     not null,
    type     text        not null,
    at       timestamptz not null,
    offset_ms bigint     not null,
    payload  jsonb       not null default '{}'::jsonb,
    primary key (call_id, seq)
);

create table transcript_segments (
    org_id      uuid        not null,
    call_id     uuid        not null references calls (id) on delete cascade,
    seq         integer     not null,
    role        text        not null check (role in ('caller', 'agent')),
    text        text        not null,
    start_ms    bigint      not null,
    end_ms      bigint      not null,
    interrupted boolean     not null default false,
    primary key (call_id, seq)
);

-- Nodes that hold live calls say they are alive; a call whose node stopped saying so is swept.
create table call_nodes (
    node_id      text        primary key,
    heartbeat_at timestamptz not null default now()
);
