-- The one entity resolver, used by the build (curated files and submissions alike) and, stored in the warehouse
-- with the table entity_names it reads, by the dashboard's ?agency= and ?province= links. Run on the staging
-- connection and again into the new warehouse file (etl.build).
-- One key for every way a unit's name is written: NFC, lower case, white space collapsed. A name typed without any
-- diacritics ("Ha Noi") falls back to the key without them, when no two units share that form; a name with a wrong
-- diacritic ("Hồ Chí Mính") is a typo, left to the rules to report with a suggestion.
CREATE MACRO entity_key(s) AS lower(regexp_replace(trim(nfc_normalize(s)), '[[:space:]\x{00A0}\x{202F}]+', ' ', 'g'));
CREATE MACRO entity_plain(s) AS replace(strip_accents(entity_key(s)), 'đ', 'd');

CREATE TABLE entity_names AS
SELECT name, agency_id, entity_key(name) AS key, entity_plain(name) AS plain, bool_and(english) AS english
FROM (SELECT alias AS name, agency_id, false AS english FROM raw_aliases WHERE alias IS NOT NULL
      UNION ALL SELECT name_vi, id, false FROM raw_agencies WHERE name_vi IS NOT NULL
      UNION ALL SELECT short_vi, id, false FROM raw_agencies WHERE short_vi IS NOT NULL
      -- the official English name too: a link written in English ("?agency=Ministry of Health") resolves
      UNION ALL SELECT name_en, id, true FROM raw_agencies WHERE name_en IS NOT NULL)
GROUP BY name, agency_id;

CREATE MACRO resolve_entity(s) AS coalesce(
    (SELECT min(agency_id) FROM entity_names WHERE key = entity_key(s)),
    (SELECT min(agency_id) FROM entity_names WHERE plain = entity_plain(s) AND entity_plain(s) = entity_key(s)
     HAVING count(DISTINCT agency_id) = 1));


-- The closest name to one that resolves to nothing, for the rules' "did you mean" (NULL when none is close).
CREATE MACRO suggest_entity(s) AS (SELECT name FROM entity_names WHERE NOT english
                                  AND jaro_winkler_similarity(plain, entity_plain(s)) >= 0.8
                                  ORDER BY jaro_winkler_similarity(plain, entity_plain(s)) DESC, name LIMIT 1);
