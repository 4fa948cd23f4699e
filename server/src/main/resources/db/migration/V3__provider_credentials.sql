-- Per-organization credentials for speech and language providers. The secret is sealed with AES-GCM
-- under PALAVER_ENCRYPTION_KEY (never stored in clear) and only ever shown masked.
create table provider_credentials (
    org_id      uuid        not null references organizations (id) on delete cascade,
    provider    text        not null,
    secret      bytea       not null,
    secret_hint text        not null,
    base_url    text,
    updated_by  uuid        references users (id) on delete set null,
    updated_at  timestamptz not null default now(),
    primary key (org_id, provider)
);
