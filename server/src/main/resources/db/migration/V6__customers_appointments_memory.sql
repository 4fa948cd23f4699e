-- Customers, their appointments, messages taken for the organization, and what agents remember of callers.

-- btree_gist lets one exclusion constraint combine equality (organization, resource) with range overlap.
-- It is a trusted extension (PostgreSQL 13+): the database owner may create it without superuser rights.
create extension if not exists btree_gist;

create table customers (
    id         uuid        primary key,
    org_id     uuid        not null references organizations (id) on delete cascade,
    name       text        not null check (length(name) between 1 and 200),
    -- E.164 (normalised with libphonenumber); null when only a name is known.
    phone      text        check (phone ~ '^\+[1-9][0-9]{6,14}$'),
    email      text        check (length(email) <= 320),
    notes      text        not null default '' check (length(notes) <= 2000),
    created_at timestamptz not null default now(),
    unique (id, org_id)
);
create unique index customers_phone_per_org on customers (org_id, phone) where phone is not null;
create index customers_by_org on customers (org_id, id desc);
create index customers_by_name on customers (org_id, lower(name));

create table appointments (
    id          uuid        primary key,
    org_id      uuid        not null,
    customer_id uuid        not null,
    -- What is booked (a chair, a room, a person): appointments of one resource never overlap.
    resource    text        not null default 'default' check (length(resource) between 1 and 100),
    service     text        not null default '' check (length(service) <= 200),
    starts_at   timestamptz not null,
    ends_at     timestamptz not null,
    notes       text        not null default '' check (length(notes) <= 2000),
    call_id     uuid,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    check (ends_at > starts_at),
    check (ends_at - starts_at <= interval '1 day'),
    foreign key (customer_id, org_id) references customers (id, org_id) on delete cascade,
    -- The database, not the application, guarantees no double booking, also under concurrent requests.
    constraint appointments_no_overlap exclude using gist (
        org_id with =, resource with =, tstzrange(starts_at, ends_at, '[)') with &&)
);
create index appointments_by_org on appointments (org_id, starts_at, id);
create index appointments_by_customer on appointments (org_id, customer_id, starts_at);

create table messages (
    id          uuid        primary key,
    org_id      uuid        not null references organizations (id) on delete cascade,
    customer_id uuid,
    caller_name text        not null default '' check (length(caller_name) <= 200),
    phone       text        check (phone ~ '^\+[1-9][0-9]{6,14}$'),
    text        text        not null check (length(text) between 1 and 4000),
    call_id     uuid,
    created_at  timestamptz not null default now(),
    foreign key (customer_id, org_id) references customers (id, org_id) on delete set null (customer_id)
);
create index messages_by_org on messages (org_id, id desc);

-- What agents remember about one caller (an E.164 number or web:<userId>): facts and a rolling summary,
-- both bounded, read at the start of a conversation and rewritten at its end.
create table caller_memories (
    org_id     uuid        not null references organizations (id) on delete cascade,
    caller_id  text        not null check (length(caller_id) between 1 and 200),
    facts      jsonb       not null default '{}' check (jsonb_typeof(facts) = 'object'),
    summary    text        not null default '' check (length(summary) <= 4000),
    updated_at timestamptz not null default now(),
    primary key (org_id, caller_id)
);
create index caller_memories_by_age on caller_memories (updated_at);
