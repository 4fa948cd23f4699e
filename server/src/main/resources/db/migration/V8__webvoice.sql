-- Browser voice. turn_audio holds the spoken replies of the turn API until they expire: the id is 256 random
-- bits (the only handle to the audio) and only the principal that asked may fetch it. Rows are deleted by a
-- scheduled cleanup once expires_at has passed.
create table turn_audio (
    id         text        primary key check (length(id) between 40 and 64),
    org_id     uuid        not null references organizations (id) on delete cascade,
    owner      text        not null check (length(owner) between 1 and 100),
    agent_id   uuid        not null,
    content    bytea       not null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);
create index turn_audio_expiry on turn_audio (expires_at);

-- Publishable keys let a customer's web page start browser calls with one agent. The key is public by design
-- (it ships in the page's HTML); what protects it is the allow-list of origins, a short session token and a
-- rate limit.
create table webvoice_keys (
    id              uuid        primary key,
    org_id          uuid        not null references organizations (id) on delete cascade,
    agent_id        uuid        not null,
    publishable_key text        not null unique check (length(publishable_key) between 20 and 80),
    allowed_origins text[]      not null check (cardinality(allowed_origins) between 1 and 20),
    created_at      timestamptz not null default now(),
    revoked_at      timestamptz,
    foreign key (agent_id, org_id) references agents (id, org_id) on delete cascade
);
create index webvoice_keys_by_org on webvoice_keys (org_id, id desc);
