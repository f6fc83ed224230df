-- Keyflow OAuth2 connections, h2. Idempotent: KeyflowSchema runs it at every start, after keyflow.h2.create.sql.
-- Secrets are base64(AES-256-GCM ciphertext) made by the local store's cipher; KEY_ID_ names the key.
-- Timestamps are UTC. TENANT_ID_ is '' for the tenant-less scope.

-- Client registrations given in a start call (configured ones stay in configuration). The client secret is
-- encrypted with this row's id and tenant as associated data; it is never returned.
create table if not exists KEYFLOW_OAUTH2_CLIENT (
    ID_ varchar(36) not null,
    TENANT_ID_ varchar(64) not null,
    PROVIDER_ varchar(64) not null,
    CLIENT_ID_ varchar(255) not null,
    KEY_ID_ varchar(16) not null,
    SECRET_ clob not null,
    CREATED_AT_ timestamp not null,
    UPDATED_AT_ timestamp not null,
    constraint KEYFLOW_PK_OAUTH2_CLIENT primary key (ID_)
);

create unique index if not exists KEYFLOW_UX_OAUTH2_CLIENT on KEYFLOW_OAUTH2_CLIENT (TENANT_ID_, PROVIDER_, CLIENT_ID_);

-- Authorization-code flows in progress, so that any node can take the callback. STATE_HASH_ is the SHA-256 of
-- the state (the state itself is not stored); VERIFIER_ is the encrypted PKCE code verifier, bound to the hash.
-- A row is deleted when its callback arrives (single use) and ignored, then purged, after EXPIRES_AT_.
create table if not exists KEYFLOW_OAUTH2_FLOW (
    STATE_HASH_ varchar(64) not null,
    TENANT_ID_ varchar(64) not null,
    PROVIDER_ varchar(64) not null,
    CLIENT_REF_ varchar(36),
    CLIENT_ID_ varchar(255) not null,
    SCOPES_ varchar(4000),
    KEY_ varchar(128),
    PRINCIPAL_ID_ varchar(255),
    NAME_ varchar(255),
    KEY_ID_ varchar(16) not null,
    VERIFIER_ varchar(512) not null,
    EXPIRES_AT_ timestamp not null,
    CREATED_AT_ timestamp not null,
    constraint KEYFLOW_PK_OAUTH2_FLOW primary key (STATE_HASH_)
);

create index if not exists KEYFLOW_IX_OAUTH2_FLOW_EXP on KEYFLOW_OAUTH2_FLOW (EXPIRES_AT_);

-- Who started a flow, so that a flow completes only for its starter: STARTED_BY_ names the authenticated caller
-- (key:<API key id> or user:<Camunda user id>) for the POST callback; BROWSER_HASH_ is the SHA-256 of the random
-- value of the browser-binding cookie set by the start, for the GET callback. Added after the first release.
alter table KEYFLOW_OAUTH2_FLOW add column if not exists STARTED_BY_ varchar(300);
alter table KEYFLOW_OAUTH2_FLOW add column if not exists BROWSER_HASH_ varchar(64);

-- Providers registered at run time (REST or Java), so that every node knows them and they survive a restart.
-- DEFINITION_ is the provider as JSON; it holds URLs and scopes, no secret.
create table if not exists KEYFLOW_OAUTH2_PROVIDER (
    ID_ varchar(64) not null,
    DEFINITION_ clob not null,
    CREATED_AT_ timestamp not null,
    UPDATED_AT_ timestamp not null,
    constraint KEYFLOW_PK_OAUTH2_PROVIDER primary key (ID_)
);
