-- Telephony: an organization's Twilio account, its phone numbers, and outbound-call idempotency keys.

create table twilio_accounts (
    org_id        uuid        primary key references organizations (id) on delete cascade,
    account_sid   text        not null unique check (account_sid ~ '^AC[0-9a-fA-F]{32}$'),
    auth_token    bytea       not null,
    token_hint    text        not null,
    api_base_url  text,
    updated_at    timestamptz not null default now()
);

-- A number rings one organization's agent, so numbers are unique across organizations.
create table phone_numbers (
    org_id      uuid        not null references organizations (id) on delete cascade,
    id          uuid        primary key,
    number      text        not null unique check (number ~ '^\+[1-9][0-9]{6,14}$'),
    agent_id    uuid        not null,
    created_at  timestamptz not null default now()
);
create index phone_numbers_org on phone_numbers (org_id, id desc);

create table outbound_call_keys (
    org_id      uuid        not null references organizations (id) on delete cascade,
    idempotency_key text    not null check (length(idempotency_key) between 1 and 200),
    call_id     uuid        not null references calls (id) on delete cascade,
    created_at  timestamptz not null default now(),
    primary key (org_id, idempotency_key)
);

alter table calls add column provider_status text;
alter table calls add column provider_duration_seconds integer;
-- A hang-up asked of a node that does not hold the call; the holding node polls for it.
alter table calls add column hangup_requested_at timestamptz;
