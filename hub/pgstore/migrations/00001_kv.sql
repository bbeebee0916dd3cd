-- The hub's buckets (package storage) in one table, and a number sequence
-- per bucket. See package pgstore.

-- +goose Up
CREATE TABLE hub_kv (
	bucket text COLLATE "C" NOT NULL,
	key    bytea NOT NULL CHECK (length(key) > 0),
	value  bytea NOT NULL,
	PRIMARY KEY (bucket, key)
);

-- Bucket b's numbers come from sequence hub_kv_seq_<md5(b)>, taken under
-- the advisory lock hashtextextended('hub_kv_seq:' || b, 0), which a taker
-- holds until its transaction ends: no other transaction takes b's next
-- number before this one has committed or rolled back, so numbers follow
-- commit order. The sequence itself is not transactional, so waiting for
-- the lock never fails with a serialization error when the holder commits
-- (as updating a counter row would); a rolled-back transaction leaves a
-- gap. A transaction holding the lock may hand out further numbers itself
-- and record the last with hub_kv_setval before it commits.

-- hub_kv_seq_lock is the advisory lock key of bucket b's numbers.
-- +goose StatementBegin
CREATE FUNCTION hub_kv_seq_lock(b text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$ SELECT hashtextextended('hub_kv_seq:' || b, 0) $$;
-- +goose StatementEnd

-- hub_kv_take takes bucket b's next number, creating the bucket's
-- sequence at its first (under the lock, so two never race to create it).
-- Without wait it takes the lock only if no other transaction holds it,
-- and returns NULL if one does.
-- +goose StatementBegin
CREATE FUNCTION hub_kv_take(b text, wait boolean) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	seq text := quote_ident('hub_kv_seq_' || md5(b));
BEGIN
	IF wait THEN
		PERFORM pg_advisory_xact_lock(hub_kv_seq_lock(b));
	ELSIF NOT pg_try_advisory_xact_lock(hub_kv_seq_lock(b)) THEN
		RETURN NULL;
	END IF;
	IF to_regclass(seq) IS NULL THEN
		EXECUTE 'CREATE SEQUENCE ' || seq;
	END IF;
	RETURN nextval(seq::regclass);
END
$$;
-- +goose StatementEnd

-- hub_kv_setval records v as bucket b's last number taken; only the
-- holder of b's lock may call it.
-- +goose StatementBegin
CREATE FUNCTION hub_kv_setval(b text, v bigint) RETURNS bigint
LANGUAGE sql AS $$ SELECT setval(quote_ident('hub_kv_seq_' || md5(b))::regclass, v) $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
DO $$
DECLARE
	s record;
BEGIN
	FOR s IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind = 'S' AND n.nspname = current_schema() AND c.relname LIKE 'hub\_kv\_seq\_%'
	LOOP
		EXECUTE format('DROP SEQUENCE %I', s.relname);
	END LOOP;
END
$$;
-- +goose StatementEnd
DROP FUNCTION hub_kv_setval(text, bigint);
DROP FUNCTION hub_kv_take(text, boolean);
DROP FUNCTION hub_kv_seq_lock(text);
DROP TABLE hub_kv;
