-- Marts: the warehouse the dashboard reads, written into the new file `w` (data/README.md documents each table
-- and view). The staging tables of the build connection are read by their `` names.

CREATE TABLE sources AS
SELECT id, source_file, issuer_vi, issuer_en, title_vi, title_en, report_date, note FROM ref_sources ORDER BY id;

CREATE TABLE agencies AS
SELECT a.id, a.kind, a.name_vi, a.name_en, a.short_vi, a.region, a.code, a.parent_id,
       list(DISTINCT n.name ORDER BY n.name) FILTER (WHERE n.name IS NOT NULL) AS aliases
FROM ref_agencies a LEFT JOIN entity_names n ON n.agency_id = a.id GROUP BY ALL ORDER BY a.kind, a.id;

CREATE TABLE agency_aliases AS SELECT DISTINCT name AS alias, agency_id FROM entity_names ORDER BY alias, agency_id;

CREATE TABLE programmes AS
SELECT id, name_vi, name_en, year_num AS year, description FROM ref_programmes ORDER BY id;

-- every closed list (kpis/vocabularies.csv): the qualifiers and definitions of figures among them
CREATE TABLE vocabularies AS
SELECT vocabulary, id, name_vi, name_en, description_vi, description_en, symbol, colour, icon, page, position
FROM vocab ORDER BY position;

CREATE TABLE indicators AS
SELECT id, theme, pillar, name_vi, name_en, unit, direction, period, description FROM ref_indicators ORDER BY id;

-- the overview's headline tiles: theme_position orders the themes as the vocabulary does
CREATE TABLE headlines AS
SELECT h.theme, h.indicator_id, try_cast(h.position AS INTEGER) AS position, v.position AS theme_position
FROM raw_headlines h JOIN vocab v ON v.vocabulary = 'theme' AND v.id = h.theme
ORDER BY theme_position, position;

CREATE TABLE units AS SELECT id, family, factor, canonical, label_vi, label_en FROM units ORDER BY id;

-- every target with its deadline (the last day it allows; `year` is the deadline's year), the unit it is for (NULL:
-- national), the series that measure it, the note to show when the report's date is not a real one, and the day it
-- was stated (its report's date; Resolution 57's, 22/12/2024, for its own targets): a view before it does not know it
CREATE TABLE targets AS
SELECT t.id, t.indicator_id, t.entity_id, a.name_vi AS entity_name, t.entity AS entity_as_written, t.category,
       t.series_ids AS series, t.comparator, t.num AS value, t.high_num AS value_high, t.value_words, t.unit, t.kind,
       t.due.deadline AS deadline, t.deadline_text, t.due.note_vi AS deadline_note_vi, t.due.note_en AS deadline_note_en,
       year(t.due.deadline)::INTEGER AS year,
       CASE WHEN t.source_file = 'nq57' THEN DATE '2024-12-22' ELSE s.report_date END AS stated_on,
       t.source_file, t.source_quote, t.note
FROM ref_targets t LEFT JOIN agencies a ON a.id = t.entity_id
LEFT JOIN (SELECT source_file, min(report_date) AS report_date FROM ref_sources GROUP BY ALL) s USING (source_file)
ORDER BY t.indicator_id, t.due.deadline NULLS LAST, t.num, t.id;

-- every dated task the reports state, beside the targets: the deadline (the last day it allows) with the report's words
-- and the note when they are not a real date; who (the lead, or the scope word for a group of units or a lead the
-- report does not state; the partners in the order written); how the report states it (assigned, planned,
-- proposed); the target it also is, if any; and the day it was stated: a view before its report does not know it
CREATE TABLE dated_tasks AS
SELECT d.id, d.title_vi, d.title_en, d.scope, d.lead_id, a.name_vi AS lead_name_vi, a.name_en AS lead_name_en,
       d.lead AS lead_as_written,
       coalesce(p.ids, []::VARCHAR[]) AS partner_ids, coalesce(p.names_vi, []::VARCHAR[]) AS partner_names_vi,
       coalesce(p.names_en, []::VARCHAR[]) AS partner_names_en,
       d.due.deadline AS deadline, d.deadline_text, d.due.note_vi AS deadline_note_vi, d.due.note_en AS deadline_note_en,
       d.stated_as, d.programme, d.target_id, s.report_date AS stated_on, d.source_file, d.source_quote, d.note
FROM ref_dated_tasks d LEFT JOIN agencies a ON a.id = d.lead_id
LEFT JOIN (SELECT tp.id, list(tp.partner_id ORDER BY tp.position) AS ids, list(pa.name_vi ORDER BY tp.position) AS names_vi,
                  list(pa.name_en ORDER BY tp.position) AS names_en
           FROM ref_task_partners tp JOIN agencies pa ON pa.id = tp.partner_id GROUP BY tp.id) p ON p.id = d.id
LEFT JOIN (SELECT source_file, min(report_date) AS report_date FROM ref_sources GROUP BY ALL) s USING (source_file)
ORDER BY d.due.deadline, d.id;

-- the labelled sub-groups in file order, then any slug a figure uses without a label (a dataset without labels)
CREATE TABLE categories AS
SELECT row_number() OVER (ORDER BY labelled DESC, pos)::INTEGER AS category_id, slug, name_vi, name_en
FROM (SELECT true AS labelled, row AS pos, slug, name_vi, name_en FROM ref_categories
      UNION ALL
      SELECT false, min(seq), category, NULL, NULL FROM obs
      WHERE category IS NOT NULL AND category NOT IN (SELECT slug FROM ref_categories WHERE slug IS NOT NULL)
      GROUP BY category)
ORDER BY category_id;

-- illustrative rows only: generated to reproduce the reported aggregates (data/illustrative/README.md)
CREATE TABLE tasks AS
SELECT task_id, programme, CAST(as_of AS DATE) AS as_of, title_vi, title_en,
       string_split(lead_agency_ids, ';') AS lead_agency_ids_list, lead_agency_ids, coalesce(co_agency_ids, '') AS co_agency_ids,
       task_group, CAST(deadline AS DATE) AS deadline, status, CAST(completion_date AS DATE) AS completion_date,
       deliverable_vi, true AS is_illustrative
FROM raw_tasks ORDER BY programme, task_id;

CREATE TABLE province_shapes AS SELECT * FROM raw_shapes ORDER BY code;

-- Every version of every figure. A submitted row supersedes the curated rows and the earlier submissions with its
-- key; curated rows never supersede each other (two reports that disagree are a conflict, flagged in the data).
-- A curated row's load time is the report date of its source, so the warehouse stays a function of data/.
CREATE TABLE facts AS
SELECT seq AS fact_id, indicator_id, entity_id, entity AS entity_as_written, programme, category, num * factor AS value,
       base_num * factor AS base, canonical_unit AS unit, qualifier, high_num * factor AS value_high, definition, modality,
       num AS value_stated, unit AS unit_stated, as_of_date AS as_of,
       source_file, source_quote, conflict_id, note, file AS data_file, row AS data_row, false AS is_illustrative,
       is_submission, loaded_at, is_current, CASE WHEN NOT is_current THEN top END AS superseded_by
FROM (SELECT *, CASE WHEN is_submission THEN row_number() OVER latest = 1 ELSE count(*) FILTER (WHERE is_submission) OVER k = 0
                END AS is_current, first_value(seq) OVER latest AS top
      FROM (SELECT o.* REPLACE (coalesce(o.loaded_at, s.report_date::TIMESTAMP) AS loaded_at) FROM obs o
            LEFT JOIN (SELECT source_file, min(report_date) AS report_date FROM ref_sources GROUP BY ALL) s
            USING (source_file))
      WINDOW k AS (PARTITION BY indicator_id, entity_id, programme, category, definition, as_of_date),
             latest AS (PARTITION BY indicator_id, entity_id, programme, category, definition, as_of_date
                        ORDER BY is_submission DESC, loaded_at DESC, seq DESC))
ORDER BY fact_id;

-- Every version of every budget row, superseded as figures are.
CREATE TABLE budget_history AS
SELECT year_num AS year, level, spending_kind, domain, stage, num * factor AS amount_bn_vnd, as_of_date AS as_of,
       a.name_vi AS entity, entity_id, num AS amount_stated, unit AS unit_stated, qualifier, definition, source_file,
       source_quote,
       conflict_id, note, file AS data_file, row AS data_row, false AS is_illustrative, is_submission, loaded_at,
       is_current
FROM (SELECT *, CASE WHEN is_submission THEN row_number() OVER latest = 1 ELSE count(*) FILTER (WHERE is_submission) OVER k = 0
                END AS is_current
      FROM (SELECT b.* REPLACE (coalesce(b.loaded_at, s.report_date::TIMESTAMP) AS loaded_at) FROM bud b
            LEFT JOIN (SELECT source_file, min(report_date) AS report_date FROM ref_sources GROUP BY ALL) s
            USING (source_file))
      WINDOW k AS (PARTITION BY year_num, level, spending_kind, domain, stage, entity_id, definition, as_of_date),
             latest AS (PARTITION BY year_num, level, spending_kind, domain, stage, entity_id, definition, as_of_date
                        ORDER BY is_submission DESC, loaded_at DESC, seq DESC)) b
LEFT JOIN agencies a ON a.id = b.entity_id
ORDER BY seq;

CREATE VIEW budget AS SELECT * EXCLUDE (is_current) FROM budget_history WHERE is_current;

CREATE VIEW budget_superseded AS SELECT * EXCLUDE (is_current) FROM budget_history WHERE NOT is_current;

CREATE TABLE conflicts AS
SELECT f.conflict_id, count(*) AS rows, list(DISTINCT source_file ORDER BY source_file) AS sources,
       string_agg(DISTINCT note, ' | ' ORDER BY note) AS notes, any_value(e.explanation_vi) AS explanation_vi,
       any_value(e.explanation_en) AS explanation_en
FROM (SELECT conflict_id, source_file, note FROM facts WHERE conflict_id IS NOT NULL AND NOT is_submission
      UNION ALL SELECT conflict_id, source_file, note FROM budget WHERE conflict_id IS NOT NULL) f
LEFT JOIN ref_conflicts e USING (conflict_id)
GROUP BY f.conflict_id ORDER BY f.conflict_id;

CREATE VIEW observations AS
SELECT f.fact_id, f.indicator_id, i.name_vi AS indicator_name_vi, i.name_en AS indicator_name_en, i.theme, i.pillar,
       c.name_vi AS category_name_vi, c.name_en AS category_name_en,
       CASE WHEN f.entity_id IS NULL THEN 'national' WHEN a.kind = 'province' THEN 'province' ELSE 'agency' END AS scope,
       a.name_vi AS entity_name, f.entity_id, f.programme, f.category, f.value, f.base, f.unit, f.as_of, f.source_file,
       f.source_quote, f.is_illustrative, f.conflict_id, f.note, f.value_stated, f.unit_stated, i.direction,
       f.qualifier, f.value_high, f.definition, d.name_vi AS definition_vi, d.name_en AS definition_en,
       f.modality, m.name_vi AS modality_vi, m.name_en AS modality_en
FROM facts f JOIN indicators i ON i.id = f.indicator_id LEFT JOIN agencies a ON a.id = f.entity_id
LEFT JOIN categories c ON c.slug = f.category
LEFT JOIN vocabularies d ON d.vocabulary = 'definition' AND d.id = f.definition
LEFT JOIN vocabularies m ON m.vocabulary = 'modality' AND m.id = f.modality
WHERE f.is_current
UNION ALL
-- a budget row's sub-group in words (year · level · spending kind · domain), never its ids
SELECT NULL, 'budget_' || b.stage, i.name_vi, i.name_en, 'budget', NULL,
       concat_ws(' · ', b.year, lv.name_vi, sk.name_vi, dm.name_vi), concat_ws(' · ', b.year, lv.name_en, sk.name_en, dm.name_en),
       CASE WHEN b.entity_id IS NULL THEN 'national' WHEN a.kind = 'province' THEN 'province' ELSE 'agency' END,
       b.entity, b.entity_id, NULL, concat_ws('/', b.year, b.level, b.spending_kind, b.domain), b.amount_bn_vnd, NULL,
       'billion_vnd', b.as_of, b.source_file, b.source_quote, b.is_illustrative, b.conflict_id, b.note, b.amount_stated,
       b.unit_stated, i.direction, b.qualifier, NULL, b.definition, d.name_vi, d.name_en, 'outcome', m.name_vi, m.name_en
FROM budget b LEFT JOIN indicators i ON i.id = 'budget_' || b.stage LEFT JOIN agencies a ON a.id = b.entity_id
LEFT JOIN vocabularies d ON d.vocabulary = 'definition' AND d.id = b.definition
LEFT JOIN vocabularies m ON m.vocabulary = 'modality' AND m.id = 'outcome'
LEFT JOIN vocabularies lv ON lv.vocabulary = 'level' AND lv.id = b.level
LEFT JOIN vocabularies sk ON sk.vocabulary = 'spending_kind' AND sk.id = b.spending_kind
LEFT JOIN vocabularies dm ON dm.vocabulary = 'domain' AND dm.id = b.domain;

CREATE VIEW observation_history AS
SELECT f.fact_id, f.indicator_id, f.entity_id, a.name_vi AS entity_name, f.programme, f.category, f.value, f.unit,
       f.value_stated, f.unit_stated, f.as_of, f.source_file, f.source_quote, f.note, f.is_submission, f.loaded_at,
       f.is_current, f.superseded_by
FROM facts f LEFT JOIN agencies a ON a.id = f.entity_id
UNION ALL
SELECT NULL, 'budget_' || stage, entity_id, entity, NULL, concat_ws('/', year, level, spending_kind, domain),
       amount_bn_vnd, 'billion_vnd', amount_stated, unit_stated, as_of, source_file, source_quote, note, is_submission,
       loaded_at, is_current, NULL
FROM budget_history;
