-- The district's layers, as the data files hold them: each record's key columns
-- typed and its other properties as JSON, geometry in WGS-84 (SRID 4326) with a
-- GiST index. The hierarchy street → community → grid → compound/building is
-- enforced with foreign keys on ids. Every row has a version, bumped on change, and
-- each layer a data_version, bumped in the writing transaction.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE layer_versions (
    layer text PRIMARY KEY,
    data_version bigint NOT NULL DEFAULT 1 CHECK (data_version > 0),
    changed_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO layer_versions (layer) VALUES
    ('district'), ('context'), ('streets'), ('communities'), ('grids'), ('compounds'),
    ('buildings'), ('sites'), ('walk_network'), ('workers'), ('building_heads');

CREATE TABLE district (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE context (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE streets (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    name text NOT NULL,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE communities (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    street_id text NOT NULL REFERENCES streets (id) DEFERRABLE INITIALLY DEFERRED,
    name text NOT NULL,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE grids (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    code text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{15}$'),
    community_id text NOT NULL REFERENCES communities (id) DEFERRABLE INITIALLY DEFERRED,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE compounds (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    grid_id text NOT NULL REFERENCES grids (id) DEFERRABLE INITIALLY DEFERRED,
    name text NOT NULL,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE buildings (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    grid_id text NOT NULL REFERENCES grids (id) DEFERRABLE INITIALLY DEFERRED,
    compound_id text REFERENCES compounds (id) DEFERRABLE INITIALLY DEFERRED,
    props jsonb NOT NULL,
    geom geometry(MultiPolygon, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE sites (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    kind text NOT NULL,
    name text NOT NULL,
    street_id text REFERENCES streets (id) DEFERRABLE INITIALLY DEFERRED,
    community_id text REFERENCES communities (id) DEFERRABLE INITIALLY DEFERRED,
    grid_id text REFERENCES grids (id) DEFERRABLE INITIALLY DEFERRED,
    props jsonb NOT NULL,
    geom geometry(Point, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE walk_network (
    ord integer PRIMARY KEY,
    props jsonb NOT NULL,
    geom geometry(LineString, 4326) NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

-- Personal data: never loaded by the public profile.
CREATE TABLE workers (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    props jsonb NOT NULL,
    active boolean NOT NULL DEFAULT true,
    version bigint NOT NULL DEFAULT 1
);

CREATE TABLE building_heads (
    id text PRIMARY KEY,
    ord integer NOT NULL UNIQUE,
    building_id text NOT NULL REFERENCES buildings (id) DEFERRABLE INITIALLY DEFERRED,
    props jsonb NOT NULL,
    version bigint NOT NULL DEFAULT 1
);

CREATE INDEX district_geom ON district USING gist (geom);
CREATE INDEX context_geom ON context USING gist (geom);
CREATE INDEX streets_geom ON streets USING gist (geom);
CREATE INDEX communities_geom ON communities USING gist (geom);
CREATE INDEX grids_geom ON grids USING gist (geom);
CREATE INDEX compounds_geom ON compounds USING gist (geom);
CREATE INDEX buildings_geom ON buildings USING gist (geom);
CREATE INDEX sites_geom ON sites USING gist (geom);
CREATE INDEX walk_network_geom ON walk_network USING gist (geom);
CREATE INDEX communities_street ON communities (street_id);
CREATE INDEX grids_community ON grids (community_id);
CREATE INDEX buildings_grid ON buildings (grid_id);
CREATE INDEX sites_grid ON sites (grid_id);

-- Who may do what: tokens and browser sessions, kept as SHA-256 hashes.
CREATE TABLE api_tokens (
    token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    role text NOT NULL CHECK (role IN ('viewer', 'planner', 'dispatcher', 'service', 'admin')),
    label text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE TABLE sessions (
    session_hash text PRIMARY KEY CHECK (session_hash ~ '^[0-9a-f]{64}$'),
    csrf_hash text NOT NULL,
    role text NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE TABLE scenarios (
    id text PRIMARY KEY,
    name text NOT NULL,
    author text NOT NULL,
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Every change, and every unmasked read of personal data: who, when, before, after.
CREATE TABLE audit_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    actor text NOT NULL,
    action text NOT NULL,
    layer text,
    record_id text,
    before jsonb,
    after jsonb
);
CREATE INDEX audit_log_record ON audit_log (layer, record_id);
