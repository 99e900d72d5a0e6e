-- Staging: every input typed and named, nothing else. Cells arrive trimmed, empty as NULL (etl.inputs); the
-- figures of submissions arrive parsed already (etl.submissions), in the same shape as the curated ones.

CREATE TABLE ref_sources AS
SELECT id, source_file, issuer_vi, issuer_en, title_vi, title_en, try_cast(report_date AS DATE) AS report_date,
       note, file, row
FROM raw_sources UNION ALL SELECT * FROM sub_sources;

CREATE TABLE ref_agencies AS SELECT * FROM raw_agencies;

CREATE TABLE ref_programmes AS SELECT *, try_cast(year AS INTEGER) AS year_num FROM raw_programmes;

CREATE TABLE ref_indicators AS SELECT * EXCLUDE (period), coalesce(period, 'point') AS period FROM raw_indicators;

CREATE TABLE ref_targets AS
SELECT *, try_cast(value AS DOUBLE) AS num, try_cast(year AS INTEGER) AS year_num FROM raw_targets;

CREATE TABLE ref_units AS  -- every stated unit and the registry unit it converts into
SELECT s.id AS stated, c.id AS canonical, s.factor / c.factor AS factor
FROM units s JOIN units c ON s.id = c.id OR (s.family <> '' AND s.family = c.family) WHERE c.canonical;

CREATE TABLE ref_categories AS SELECT * FROM raw_categories;

CREATE TABLE ref_conflicts AS SELECT * FROM raw_conflict_notes;

CREATE TABLE obs_rows AS
SELECT file, row, false AS is_submission, indicator_id, entity, programme, category, value,
       try_cast(value AS DOUBLE) AS num, base, try_cast(base AS DOUBLE) AS base_num, unit, as_of,
       try_strptime(as_of, '%Y-%m-%d')::DATE AS as_of_date, source_file, source_quote, conflict_id, note,
       NULL::TIMESTAMP AS loaded_at, 0 AS load_order
FROM raw_obs
UNION ALL BY NAME SELECT * FROM sub_obs;

CREATE TABLE bud_rows AS
SELECT file, row, false AS is_submission, fiscal_year, try_cast(fiscal_year AS INTEGER) AS year_num, level,
       spending_kind, domain, stage, entity, amount, try_cast(amount AS DOUBLE) AS num, unit, as_of,
       try_strptime(as_of, '%Y-%m-%d')::DATE AS as_of_date, source_file, source_quote, conflict_id, note,
       NULL::TIMESTAMP AS loaded_at, 0 AS load_order
FROM raw_bud
UNION ALL BY NAME SELECT * FROM sub_bud;

CREATE TABLE entity_ids AS
SELECT entity, resolve_entity(entity) AS entity_id
FROM (SELECT entity FROM obs_rows UNION SELECT entity FROM bud_rows) WHERE entity IS NOT NULL;

-- Every figure with its position in file order (curated files by name, then submissions in load order), its
-- entity resolved and the factor from its stated unit into the registry's.
CREATE TABLE obs AS
SELECT r.*, row_number() OVER (ORDER BY r.load_order, r.file, r.row) AS seq, e.entity_id,
       i.unit AS canonical_unit, u.factor
FROM obs_rows r LEFT JOIN entity_ids e USING (entity)
LEFT JOIN (SELECT id, min(unit) AS unit FROM ref_indicators GROUP BY id) i ON i.id = r.indicator_id
LEFT JOIN ref_units u ON u.stated = r.unit AND u.canonical = i.unit
ORDER BY seq;

CREATE TABLE bud AS
SELECT r.*, row_number() OVER (ORDER BY r.load_order, r.file, r.row) AS seq, e.entity_id,
       u.factor
FROM bud_rows r LEFT JOIN entity_ids e USING (entity) LEFT JOIN ref_units u ON u.stated = r.unit
     AND u.canonical = 'billion_vnd'
ORDER BY seq;
