-- Staging: every input typed and named, nothing else. Cells arrive trimmed, empty as NULL (etl.inputs); the
-- figures of submissions arrive parsed already (etl.submissions), in the same shape as the curated ones.

-- Quotes are compared folded: NFC, typographic quotes and dashes made plain, white space collapsed.
CREATE MACRO fold(s) AS trim(regexp_replace(translate(nfc_normalize(s), '“”‘’–—', '""''''--'),
    '[\s\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]+', ' ', 'g'));

-- Every value the numbers printed in a text can mean, read with Vietnamese separators (65.020,5) or English ones
-- (65,020.5); whether one of them is x.
CREATE MACRO readings(q) AS flatten(list_transform(regexp_extract_all(q, '\d+(?:[.,]\d+)*'), lambda t: [
    CASE WHEN regexp_full_match(t, '\d+(\.\d{3})*(,\d+)?') THEN replace(replace(t, '.', ''), ',', '.')::DOUBLE END,
    CASE WHEN regexp_full_match(t, '\d+(,\d{3})*(\.\d+)?') THEN replace(t, ',', '')::DOUBLE END]));
CREATE MACRO states(q, x) AS coalesce(list_bool_or(list_transform(readings(q), lambda r: abs(r - x) <= 1e-9 * greatest(1, abs(x)))), false);

-- the shipped reports, and the reports loaded through intake (their text kept beside them: etl.archive)
CREATE TABLE ref_source_texts AS
SELECT source_file, fold(text) AS text FROM raw_source_texts UNION ALL SELECT source_file, fold(text) FROM sub_source_texts;

CREATE TABLE ref_sources AS
SELECT id, source_file, issuer_vi, issuer_en, title_vi, title_en, try_cast(report_date AS DATE) AS report_date,
       note, file, row
FROM raw_sources UNION ALL SELECT * FROM sub_sources;

CREATE TABLE ref_agencies AS SELECT * FROM raw_agencies;

CREATE TABLE ref_programmes AS SELECT *, try_cast(year AS INTEGER) AS year_num FROM raw_programmes;

CREATE TABLE ref_indicators AS SELECT * EXCLUDE (period), coalesce(period, 'point') AS period FROM raw_indicators;

-- The closest registry id to one that is not in it, for the rules' "did you mean" (NULL when none is close).
CREATE MACRO suggest_indicator(s) AS (SELECT id FROM ref_indicators WHERE jaro_winkler_similarity(id, s) >= 0.8
                                     ORDER BY jaro_winkler_similarity(id, s) DESC, id LIMIT 1);

-- A target's deadline as the report words it, read by etl.text.parse_deadline (registered by etl.build as the function
-- deadline_of): the last day it allows, and a note when the words are not a real date; its unit resolved by the one
-- resolver; the series that measure it as a list.
CREATE TABLE ref_targets AS
SELECT *, try_cast(value AS DOUBLE) AS num, try_cast(value_high AS DOUBLE) AS high_num, deadline_of(deadline_text) AS due,
       CASE WHEN entity IS NOT NULL THEN resolve_entity(entity) END AS entity_id,
       list_filter(list_transform(string_split(coalesce(series, ''), ';'), lambda x: trim(x)), lambda x: x <> '') AS series_ids
FROM raw_targets;

-- The dated tasks the reports state (data/dated_tasks.csv): the deadline as worded, read by the same reader as a
-- target's; the lead resolved by the one resolver, and each partner on a row of its own, in the order written.
CREATE TABLE ref_dated_tasks AS
SELECT *, deadline_of(deadline_text) AS due, CASE WHEN lead IS NOT NULL THEN resolve_entity(lead) END AS lead_id
FROM raw_dated_tasks;

CREATE TABLE ref_task_partners AS
SELECT file, row, id, position, partner, resolve_entity(partner) AS partner_id
FROM (SELECT file, row, id, unnest(generate_series(1, len(names))) AS position,
             unnest(list_transform(names, lambda x: trim(x))) AS partner
      FROM (SELECT file, row, id, string_split(partners, ';') AS names FROM raw_dated_tasks WHERE partners IS NOT NULL))
WHERE partner <> '';

CREATE TABLE ref_units AS  -- every stated unit and the registry unit it converts into
SELECT s.id AS stated, c.id AS canonical, s.factor / c.factor AS factor
FROM units s JOIN units c ON s.id = c.id OR (s.family <> '' AND s.family = c.family) WHERE c.canonical;

CREATE TABLE ref_categories AS SELECT * FROM raw_categories;

CREATE TABLE ref_conflicts AS SELECT * FROM raw_conflict_notes;

CREATE TABLE obs_rows AS
SELECT file, row, false AS is_submission, indicator_id, entity, programme, category, value,
       try_cast(value AS DOUBLE) AS num, base, try_cast(base AS DOUBLE) AS base_num, unit, qualifier, value_high,
       try_cast(value_high AS DOUBLE) AS high_num, definition, modality, as_of,
       try_strptime(as_of, '%Y-%m-%d')::DATE AS as_of_date, source_file, source_quote, conflict_id, note,
       NULL::TIMESTAMP AS loaded_at, 0 AS load_order
FROM raw_obs
UNION ALL BY NAME SELECT * FROM sub_obs;

CREATE TABLE bud_rows AS
SELECT file, row, false AS is_submission, fiscal_year, try_cast(fiscal_year AS INTEGER) AS year_num, level,
       spending_kind, domain, stage, entity, amount, try_cast(amount AS DOUBLE) AS num, unit, qualifier, definition, as_of,
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
SELECT r.* REPLACE (coalesce(r.qualifier, 'exact') AS qualifier, coalesce(r.modality, 'outcome') AS modality),
       row_number() OVER (ORDER BY r.load_order, r.file, r.row) AS seq, e.entity_id, i.unit AS canonical_unit, u.factor,
       r.source_file IN (SELECT source_file FROM ref_source_texts) AS quoted
FROM obs_rows r LEFT JOIN entity_ids e USING (entity)
LEFT JOIN (SELECT id, min(unit) AS unit FROM ref_indicators GROUP BY id) i ON i.id = r.indicator_id
LEFT JOIN ref_units u ON u.stated = r.unit AND u.canonical = i.unit
ORDER BY seq;

CREATE TABLE bud AS
SELECT r.* REPLACE (coalesce(r.qualifier, 'exact') AS qualifier), row_number() OVER (ORDER BY r.load_order, r.file, r.row) AS seq, e.entity_id,
       u.factor
FROM bud_rows r LEFT JOIN entity_ids e USING (entity) LEFT JOIN ref_units u ON u.stated = r.unit
     AND u.canonical = 'billion_vnd'
ORDER BY seq;

-- A name that resolves to nothing: is it a province that no longer exists (merged on 1 July 2025), and into what?
CREATE TABLE unresolved AS
SELECT o.file, o.row, o.entity, any_value(a.name_vi) AS merged_into
FROM (SELECT file, row, entity FROM obs WHERE entity IS NOT NULL AND entity_id IS NULL
      UNION ALL SELECT file, row, entity FROM bud WHERE entity IS NOT NULL AND entity_id IS NULL) o
LEFT JOIN raw_mergers m ON m.old_name_vi <> m.name_vi
     AND (entity_key(o.entity) = entity_key(m.old_name_vi)
          OR (entity_plain(o.entity) = entity_key(o.entity) AND entity_plain(o.entity) = entity_plain(m.old_name_vi)))
LEFT JOIN raw_agencies a ON a.kind = 'province' AND a.code = m.code
GROUP BY ALL;
