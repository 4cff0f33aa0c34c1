-- The id of the configured key (dbm.storage.encryption.keys.<id>) a volume encrypts new objects with; null: none.
-- Each object records its own key id, so the key itself is never stored here.
alter table volume add column encryption_key_id varchar(63);
