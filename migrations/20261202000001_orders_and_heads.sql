-- A layer's order may be rewritten inside one transaction (an import that replaces a
-- layer keeps the file's order), so the uniqueness of `ord` is checked at commit.
-- A building head may serve several buildings: the ids live in `props`, checked at
-- import like every other reference between records.

ALTER TABLE district DROP CONSTRAINT district_ord_key,
    ADD CONSTRAINT district_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE context DROP CONSTRAINT context_ord_key,
    ADD CONSTRAINT context_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE streets DROP CONSTRAINT streets_ord_key,
    ADD CONSTRAINT streets_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE communities DROP CONSTRAINT communities_ord_key,
    ADD CONSTRAINT communities_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE grids DROP CONSTRAINT grids_ord_key,
    ADD CONSTRAINT grids_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE compounds DROP CONSTRAINT compounds_ord_key,
    ADD CONSTRAINT compounds_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE buildings DROP CONSTRAINT buildings_ord_key,
    ADD CONSTRAINT buildings_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE sites DROP CONSTRAINT sites_ord_key,
    ADD CONSTRAINT sites_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE workers DROP CONSTRAINT workers_ord_key,
    ADD CONSTRAINT workers_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE building_heads DROP CONSTRAINT building_heads_ord_key,
    ADD CONSTRAINT building_heads_ord_key UNIQUE (ord) DEFERRABLE INITIALLY DEFERRED;

ALTER TABLE building_heads DROP COLUMN building_id;

-- Tokens change too: replicas re-read them when this version moves.
INSERT INTO layer_versions (layer) VALUES ('api_tokens');
