-- Keyflow data keys wrapped by HashiCorp Vault transit (envelope encryption). Idempotent: run at every start
-- by TransitKeyringSource when keyflow.vault.transit.enabled=true.
-- KEY_ID_ is the Keyflow key id of the data key (the id local ciphertexts carry); WRAPPED_KEY_ is the
-- transit ciphertext of the AES-256 data key (vault:vN:...), never the key itself.
-- STATUS_: PRIMARY (encrypts new writes), ACTIVE (decrypts only). Timestamps are UTC.

create table if not exists KEYFLOW_DATA_KEY (
    KEY_ID_ varchar(16) not null,
    WRAPPED_KEY_ varchar(1024) not null,
    TRANSIT_MOUNT_ varchar(255) not null,
    TRANSIT_KEY_ varchar(255) not null,
    STATUS_ varchar(16) not null,
    CREATED_AT_ timestamp not null,
    UPDATED_AT_ timestamp not null,
    constraint KEYFLOW_PK_DATA_KEY primary key (KEY_ID_)
);
