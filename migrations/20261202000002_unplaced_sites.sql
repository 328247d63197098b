-- Sites imported with an address and no coordinates, waiting to be placed on the
-- map by an administrator. Not a served layer: placing one creates the site.
CREATE TABLE unplaced_sites (
    id bigserial PRIMARY KEY,
    props jsonb NOT NULL,
    source text NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT now()
);
