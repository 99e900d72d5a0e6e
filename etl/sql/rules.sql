-- Validation rules: each SELECT yields (file, row, column, value[, detail]) for every offending cell; the comment
-- above it gives the reason in Vietnamese | English ({%s} is filled from the fifth column). The same rules
-- judge curated files and agency submissions: `obs` and `bud` hold both (is_submission tells them apart). A
-- submission whose source is a report (etl.intake: `quoted`) has its quotes checked against it as curated rows do.

-- The registry and the dimension tables, which every figure is judged by.

-- mã cơ quan bị trùng | agency id is duplicated
SELECT file, row, 'id', id, NULL FROM ref_agencies QUALIFY count(*) OVER (PARTITION BY id) > 1;
-- loại cơ quan không hợp lệ | agency kind must be province, ministry or other
SELECT file, row, 'kind', kind, NULL FROM ref_agencies WHERE kind IS NULL OR kind NOT IN (SELECT id FROM vocab WHERE vocabulary = 'agency_kind');
-- tỉnh thiếu vùng hoặc vùng không hợp lệ | province lacks a valid region
SELECT file, row, 'region', region, NULL FROM ref_agencies
WHERE kind = 'province' AND (region IS NULL OR region NOT IN (SELECT id FROM vocab WHERE vocabulary = 'region'));
-- thiếu tên tiếng Việt hoặc tiếng Anh | Vietnamese or English name is missing
SELECT file, row, 'name_en', name_en, NULL FROM ref_agencies WHERE name_vi IS NULL OR name_en IS NULL;
-- bí danh trỏ tới nhiều cơ quan | alias maps to several agencies
SELECT 'data/dims/agency_aliases.csv', NULL, 'alias', min(name), NULL FROM entity_names GROUP BY key HAVING count(DISTINCT agency_id) > 1;
-- bí danh trỏ tới cơ quan không tồn tại | alias points to an unknown agency
SELECT file, row, 'agency_id', agency_id, NULL FROM raw_aliases WHERE agency_id IS NULL OR agency_id NOT IN (SELECT id FROM ref_agencies WHERE id IS NOT NULL);
-- mã chỉ tiêu bị trùng | indicator id is duplicated
SELECT file, row, 'id', id, NULL FROM ref_indicators QUALIFY count(*) OVER (PARTITION BY id) > 1;
-- chủ đề không hợp lệ | unknown theme
SELECT file, row, 'theme', theme, NULL FROM ref_indicators WHERE theme IS NULL OR theme NOT IN (SELECT id FROM vocab WHERE vocabulary = 'theme');
-- đơn vị của chỉ tiêu không hợp lệ | registry unit is not a canonical unit
SELECT file, row, 'unit', unit, NULL FROM ref_indicators WHERE unit IS NULL OR unit NOT IN (SELECT id FROM units WHERE canonical);
-- chỉ tiêu tiêu điểm không có trong danh mục | headline indicator is not in the registry
SELECT file, row, 'indicator_id', indicator_id, NULL FROM raw_headlines
WHERE indicator_id IS NULL OR indicator_id NOT IN (SELECT id FROM ref_indicators WHERE id IS NOT NULL);
-- chủ đề của chỉ tiêu tiêu điểm không hợp lệ | headline theme is not a theme
SELECT file, row, 'theme', theme, NULL FROM raw_headlines WHERE theme IS NULL OR theme NOT IN (SELECT id FROM vocab WHERE vocabulary = 'theme');
-- thứ tự phải là số nguyên | position must be a whole number
SELECT file, row, 'position', position, NULL FROM raw_headlines WHERE try_cast(position AS INTEGER) IS NULL;
-- hướng phải là higher hoặc lower | direction must be higher or lower
SELECT file, row, 'direction', direction, NULL FROM ref_indicators
WHERE direction IS NULL OR direction NOT IN (SELECT id FROM vocab WHERE vocabulary = 'direction');
-- kỳ phải là point, year_to_date hoặc period_growth | period must be point, year_to_date or period_growth
SELECT file, row, 'period', period, NULL FROM ref_indicators WHERE period NOT IN (SELECT id FROM vocab WHERE vocabulary = 'period');
-- thiếu tên tiếng Việt hoặc tiếng Anh | Vietnamese or English name is missing
SELECT file, row, 'name_en', id, NULL FROM ref_indicators WHERE name_vi IS NULL OR name_en IS NULL;
-- ngày báo cáo không hợp lệ (cần yyyy-mm-dd) | report date does not parse (expected yyyy-mm-dd)
SELECT file, row, 'report_date', report_date, NULL FROM ref_sources WHERE report_date IS NULL;
-- mục tiêu cho chỉ tiêu không có trong danh mục | target for an indicator not in the registry
SELECT file, row, 'indicator_id', indicator_id, NULL FROM ref_targets WHERE indicator_id IS NULL OR indicator_id NOT IN (SELECT id FROM ref_indicators WHERE id IS NOT NULL);
-- phép so sánh phải là >=, <= hoặc = | comparator must be >=, <= or =
SELECT file, row, 'comparator', comparator, NULL FROM ref_targets WHERE comparator IS NULL OR comparator NOT IN ('>=', '<=', '=');
-- giá trị không phải là số | value is not a number
SELECT file, row, 'value', value, NULL FROM ref_targets WHERE num IS NULL;
-- thiếu mã mục tiêu | target id is missing
SELECT file, row, 'id', id, NULL FROM ref_targets WHERE id IS NULL;
-- mã mục tiêu bị trùng | target id is duplicated
SELECT file, row, 'id', id, NULL FROM ref_targets WHERE id IS NOT NULL QUALIFY count(*) OVER (PARTITION BY id) > 1;
-- loại mục tiêu không hợp lệ{ (dùng: %s)} | unknown target kind{ (use: %s)}
SELECT file, row, 'kind', kind, (SELECT string_agg(id, ', ' ORDER BY position) FROM vocab WHERE vocabulary = 'target_kind')
FROM ref_targets WHERE kind IS NULL OR kind NOT IN (SELECT id FROM vocab WHERE vocabulary = 'target_kind');
-- chỉ mục tiêu của Nghị quyết 57 (kind = resolution) trích nguồn nq57, và ngược lại | only a Resolution 57 target (kind = resolution) cites nq57, and it must
SELECT file, row, 'kind', kind, NULL FROM ref_targets WHERE (kind = 'resolution') IS DISTINCT FROM (source_file = 'nq57');
-- hạn không đọc được: cần một ngày (dd/mm/yyyy, "trước ngày dd/mm/yyyy"), tháng (tháng m/yyyy), quý (Quý I/yyyy) hoặc năm | the deadline does not read: it needs a date (dd/mm/yyyy, "trước ngày dd/mm/yyyy"), a month (tháng m/yyyy), a quarter (Quý I/yyyy) or a year
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_targets WHERE deadline_text IS NOT NULL AND due IS NULL;
-- hạn trước ngày ban hành Nghị quyết 57 (22/12/2024) hoặc sau năm 2100 | the deadline falls before Resolution 57 (22/12/2024) or after 2100
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_targets
WHERE due.deadline < DATE '2024-12-22' OR due.deadline > DATE '2100-12-31';
-- cách ghi hạn không có nguyên văn trong{ %s} | the deadline's wording is not found verbatim in{ %s}
SELECT t.file, t.row, 'deadline_text', t.deadline_text, t.source_file FROM ref_targets t JOIN ref_source_texts s USING (source_file)
WHERE t.deadline_text IS NOT NULL AND NOT contains(lower(s.text), lower(fold(t.deadline_text)));
-- đơn vị của mục tiêu không có trong danh mục cơ quan, địa phương{; có phải '%s'?} | the target's unit is not a known agency or province{; did you mean '%s'?}
SELECT file, row, 'entity', entity, suggest_entity(entity) FROM ref_targets WHERE entity IS NOT NULL AND entity_id IS NULL;
-- nhóm của mục tiêu chưa có tên trong data/dims/categories.csv | the target's category has no label in data/dims/categories.csv
SELECT file, row, 'category', category, NULL FROM ref_targets
WHERE category IS NOT NULL AND category NOT IN (SELECT slug FROM ref_categories WHERE slug IS NOT NULL) AND EXISTS (SELECT 1 FROM ref_categories);
-- chuỗi số đo (series) nêu chỉ tiêu không có trong danh mục{; có phải '%s'?} | the series names an indicator that is not in the registry{; did you mean '%s'?}
SELECT file, row, 'series', x, suggest_indicator(x) FROM (SELECT file, row, unnest(series_ids) AS x FROM ref_targets)
WHERE x NOT IN (SELECT id FROM ref_indicators WHERE id IS NOT NULL);
-- mục tiêu tăng trưởng thiếu chuỗi số đo (series): chuỗi mức để tính tăng trưởng, hoặc tăng trưởng mà báo cáo nêu | a growth target needs its series: the levels its growth is computed from, or a growth the reports state
SELECT file, row, 'series', series, NULL FROM ref_targets WHERE unit = 'percent_change' AND len(series_ids) = 0;
-- chuỗi số đo không tính bằng đơn vị của mục tiêu: chỉ tiêu dùng{ '%s'} | the series is not measured in the target's unit: the indicator is measured in{ '%s'}
SELECT x.file, x.row, 'series', x.s, i.unit FROM (SELECT file, row, unit, unnest(series_ids) AS s FROM ref_targets
                                               WHERE unit <> 'percent_change') x
JOIN ref_indicators i ON i.id = x.s WHERE i.unit <> x.unit;
-- value_words chỉ dùng cho mục tiêu toàn bộ (100%, 100% kế hoạch) hoặc không còn lại (<= 0) | value_words is only for a target of the whole (100%, 100% of plan) or of none left (<= 0)
SELECT file, row, 'value_words', value_words, NULL FROM ref_targets
WHERE value_words IS NOT NULL AND NOT ((num = 100 AND unit IN ('percent', 'percent_of_plan')) OR (num = 0 AND comparator = '<='));
-- value_words không có nguyên văn trong trích dẫn | value_words is not found verbatim in the quote
SELECT file, row, 'value_words', value_words, NULL FROM ref_targets
WHERE value_words IS NOT NULL AND NOT contains(fold(coalesce(source_quote, '')), fold(value_words));
-- cận trên của khoảng mục tiêu phải là số không nhỏ hơn value | a target range's value_high must be a number not below value
SELECT file, row, 'value_high', value_high, NULL FROM ref_targets WHERE value_high IS NOT NULL AND (high_num IS NULL OR high_num < num);
-- mục tiêu thiếu nguồn | target has no source
SELECT file, row, 'source_quote', source_quote, NULL FROM ref_targets WHERE source_quote IS NULL OR source_file IS NULL;
-- đơn vị của mục tiêu khác đơn vị chỉ tiêu | target unit differs from the indicator's unit
SELECT t.file, t.row, 'unit', t.unit, NULL FROM ref_targets t JOIN ref_indicators i ON t.indicator_id = i.id WHERE t.unit <> i.unit;
-- trích dẫn không có nguyên văn trong{ %s} | quote is not found verbatim in{ %s}
SELECT arg_min(file, row), min(row), 'source_quote', left(source_quote, 80), source_file
FROM ref_targets JOIN ref_source_texts t USING (source_file) WHERE source_quote IS NOT NULL
GROUP BY source_file, source_quote, t.text HAVING NOT contains(t.text, fold(source_quote));
-- trích dẫn không chứa con số này (một mục tiêu toàn bộ mà báo cáo nêu bằng lời: ghi các từ đó ở value_words) | quote does not contain this number (a whole the report states in words: put those words in value_words)
SELECT arg_min(file, row), min(row), 'value', value, NULL FROM ref_targets
WHERE source_file IN (SELECT source_file FROM ref_sources) AND source_quote IS NOT NULL AND num IS NOT NULL
      AND value_words IS NULL
GROUP BY source_quote, num, value HAVING NOT states(source_quote, num);


-- The reports' dated tasks (data/dated_tasks.csv): who, what in both languages, by when as worded, where it is said.

-- thiếu mã nhiệm vụ | task id is missing
SELECT file, row, 'id', id, NULL FROM ref_dated_tasks WHERE id IS NULL;
-- mã nhiệm vụ bị trùng | task id is duplicated
SELECT file, row, 'id', id, NULL FROM ref_dated_tasks WHERE id IS NOT NULL QUALIFY count(*) OVER (PARTITION BY id) > 1;
-- phạm vi giao nhiệm vụ không hợp lệ{ (dùng: %s)} | unknown scope of the task{ (use: %s)}
SELECT file, row, 'scope', scope, (SELECT string_agg(id, ', ' ORDER BY position) FROM vocab WHERE vocabulary = 'task_scope')
FROM ref_dated_tasks WHERE scope IS NULL OR scope NOT IN (SELECT id FROM vocab WHERE vocabulary = 'task_scope');
-- cách báo cáo nêu nhiệm vụ (stated_as) không hợp lệ{ (dùng: %s)} | unknown stated_as{ (use: %s)}
SELECT file, row, 'stated_as', stated_as, (SELECT string_agg(id, ', ' ORDER BY position) FROM vocab WHERE vocabulary = 'task_stated_as')
FROM ref_dated_tasks WHERE stated_as IS NULL OR stated_as NOT IN (SELECT id FROM vocab WHERE vocabulary = 'task_stated_as');
-- nhiệm vụ của một đơn vị (scope = unit) cần ghi cơ quan chủ trì ở cột lead | a task of one unit (scope = unit) needs its lead
SELECT file, row, 'lead', lead, NULL FROM ref_dated_tasks WHERE scope = 'unit' AND lead IS NULL;
-- nhiệm vụ giao chung hoặc không nêu đơn vị chủ trì để trống cột lead: phạm vi (scope) đã nói ai thực hiện | a task for a group of units, or with no lead stated, leaves lead empty: its scope says who
SELECT file, row, 'lead', lead, NULL FROM ref_dated_tasks
WHERE lead IS NOT NULL AND scope IN (SELECT id FROM vocab WHERE vocabulary = 'task_scope' AND id <> 'unit');
-- cơ quan chủ trì không có trong danh mục cơ quan, địa phương{; có phải '%s'?} | the lead is not a known agency or province{; did you mean '%s'?}
SELECT file, row, 'lead', lead, suggest_entity(lead) FROM ref_dated_tasks WHERE lead IS NOT NULL AND lead_id IS NULL;
-- cơ quan phối hợp không có trong danh mục cơ quan, địa phương{; có phải '%s'?} | a partner is not a known agency or province{; did you mean '%s'?}
SELECT file, row, 'partners', partner, suggest_entity(partner) FROM ref_task_partners WHERE partner_id IS NULL;
-- thiếu tên nhiệm vụ tiếng Việt | the Vietnamese title is missing
SELECT file, row, 'title_vi', title_vi, NULL FROM ref_dated_tasks WHERE title_vi IS NULL;
-- thiếu tên nhiệm vụ tiếng Anh (bản dịch của title_vi) | the English title (the translation of title_vi) is missing
SELECT file, row, 'title_en', title_en, NULL FROM ref_dated_tasks WHERE title_en IS NULL;
-- nhiệm vụ thiếu hạn: tệp chỉ ghi nhiệm vụ có thời hạn, ghi nguyên văn cách báo cáo nêu hạn | the task has no deadline: the file holds dated tasks only, with the deadline as the report words it
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_dated_tasks WHERE deadline_text IS NULL;
-- hạn không đọc được: cần một ngày (dd/mm/yyyy, "trước ngày dd/mm/yyyy"), tháng (tháng m/yyyy), quý (Quý I/yyyy) hoặc năm | the deadline does not read: it needs a date (dd/mm/yyyy, "trước ngày dd/mm/yyyy"), a month (tháng m/yyyy), a quarter (Quý I/yyyy) or a year
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_dated_tasks WHERE deadline_text IS NOT NULL AND due IS NULL;
-- hạn trước ngày ban hành Nghị quyết 57 (22/12/2024) hoặc sau năm 2100 | the deadline falls before Resolution 57 (22/12/2024) or after 2100
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_dated_tasks
WHERE due.deadline < DATE '2024-12-22' OR due.deadline > DATE '2100-12-31';
-- cách ghi hạn không có nguyên văn trong trích dẫn | the deadline's wording is not found verbatim in the quote
SELECT file, row, 'deadline_text', deadline_text, NULL FROM ref_dated_tasks
WHERE deadline_text IS NOT NULL AND source_quote IS NOT NULL AND NOT contains(lower(fold(source_quote)), lower(fold(deadline_text)));
-- nguồn không có trong data/sources.csv | source is not listed in data/sources.csv
SELECT file, row, 'source_file', source_file, NULL FROM ref_dated_tasks
WHERE source_file IS NULL OR source_file NOT IN (SELECT source_file FROM ref_sources WHERE source_file IS NOT NULL);
-- thiếu trích dẫn nguồn | source quote is missing
SELECT file, row, 'source_quote', source_quote, NULL FROM ref_dated_tasks WHERE source_quote IS NULL;
-- trích dẫn không có nguyên văn trong{ %s} | quote is not found verbatim in{ %s}
SELECT t.file, t.row, 'source_quote', left(t.source_quote, 80), t.source_file FROM ref_dated_tasks t
JOIN ref_source_texts s USING (source_file) WHERE t.source_quote IS NOT NULL AND NOT contains(s.text, fold(t.source_quote));
-- chương trình không có trong data/dims/programmes.csv | programme is not in data/dims/programmes.csv
SELECT file, row, 'programme', programme, NULL FROM ref_dated_tasks
WHERE programme IS NOT NULL AND programme NOT IN (SELECT id FROM ref_programmes WHERE id IS NOT NULL);
-- mục tiêu liên kết không có trong kpis/targets.csv{; có phải '%s'?} | the linked target is not in kpis/targets.csv{; did you mean '%s'?}
SELECT file, row, 'target_id', target_id,
       (SELECT id FROM ref_targets WHERE jaro_winkler_similarity(id, d.target_id) >= 0.8
        ORDER BY jaro_winkler_similarity(id, d.target_id) DESC, id LIMIT 1)
FROM ref_dated_tasks d WHERE target_id IS NOT NULL AND target_id NOT IN (SELECT id FROM ref_targets WHERE id IS NOT NULL);
-- hạn của nhiệm vụ khác hạn của mục tiêu liên kết{ (%s)} | the task is due on another day than its linked target{ (%s)}
SELECT d.file, d.row, 'deadline_text', d.deadline_text, strftime(t.due.deadline, '%d/%m/%Y')
FROM ref_dated_tasks d JOIN ref_targets t ON t.id = d.target_id
WHERE d.due.deadline IS DISTINCT FROM t.due.deadline AND d.due IS NOT NULL;


-- Figures (observations): one row at a time.

-- thiếu mã chỉ tiêu | indicator id is missing
SELECT file, row, 'indicator_id', indicator_id, NULL FROM obs WHERE indicator_id IS NULL;
-- chỉ tiêu chưa có trong danh mục (kpis/indicators.csv){; có phải '%s'?} | indicator is not in the registry (kpis/indicators.csv){; did you mean '%s'?}
SELECT file, row, 'indicator_id', indicator_id, suggest_indicator(indicator_id) FROM obs
WHERE indicator_id IS NOT NULL AND indicator_id NOT IN (SELECT id FROM ref_indicators WHERE id IS NOT NULL);
-- giá trị không phải là số | value is not a number
SELECT file, row, 'value', value, NULL FROM obs WHERE NOT is_submission AND num IS NULL;
-- mẫu số không phải là số | base is not a number
SELECT file, row, 'base', base, NULL FROM obs WHERE base IS NOT NULL AND base_num IS NULL;
-- khoảng giá trị cần cận trên value_high là số không nhỏ hơn value | a range needs value_high, a number not below value
SELECT file, row, 'value_high', value_high, NULL FROM obs WHERE qualifier = 'range' AND (high_num IS NULL OR high_num < num);
-- value_high chỉ dùng cho khoảng giá trị (qualifier = range) | value_high is only for a range (qualifier = range)
SELECT file, row, 'value_high', value_high, NULL FROM obs WHERE qualifier <> 'range' AND value_high IS NOT NULL;
-- đơn vị không hợp lệ | unknown unit
SELECT file, row, 'unit', unit, NULL FROM obs WHERE unit IS NULL OR unit NOT IN (SELECT id FROM units);
-- đơn vị không khớp với danh mục chỉ tiêu: chỉ tiêu dùng{ '%s'} | unit does not match the registry's unit: the indicator is measured in{ '%s'}
SELECT file, row, 'unit', unit, canonical_unit FROM obs WHERE canonical_unit IS NOT NULL AND unit IN (SELECT id FROM units) AND factor IS NULL;
-- tỷ lệ phần trăm phải trong khoảng 0-100 | a percentage must lie within 0-100
SELECT file, row, 'value', value, NULL FROM obs WHERE unit = 'percent' AND (num < 0 OR num > 100);
-- giá trị không được âm | value must not be negative
SELECT file, row, 'value', value, NULL FROM obs WHERE unit NOT IN ('percent', 'percent_change') AND num < 0;
-- thứ hạng phải là số nguyên dương | a rank must be a positive whole number
SELECT file, row, 'value', value, NULL FROM obs WHERE unit = 'rank' AND (num < 1 OR num <> floor(num));
-- giá trị của dòng đánh dấu phải là 1 | a flag row's value must be 1
SELECT file, row, 'value', value, NULL FROM obs WHERE unit = 'flag' AND num <> 1;
-- dòng đánh dấu (flag) cần ghi đơn vị | a flag row needs its entity
SELECT file, row, 'entity', entity, NULL FROM obs WHERE unit = 'flag' AND entity IS NULL;
-- tử số lớn hơn mẫu số | value exceeds its base
SELECT file, row, 'base', base, NULL FROM obs WHERE base_num < num AND unit <> 'rank';
-- số liệu nhiệm vụ phải ghi chương trình | a task figure needs its programme
SELECT file, row, 'programme', programme, NULL FROM obs WHERE programme IS NULL
AND indicator_id IN (SELECT id FROM ref_indicators WHERE theme = 'tasks' AND id LIKE 'tasks\_%' ESCAPE '\');
-- chương trình không có trong data/dims/programmes.csv | programme is not in data/dims/programmes.csv
SELECT file, row, 'programme', programme, NULL FROM obs WHERE programme IS NOT NULL AND programme NOT IN (SELECT id FROM ref_programmes WHERE id IS NOT NULL);
-- nhóm chưa có tên trong data/dims/categories.csv | category has no label in data/dims/categories.csv
SELECT file, row, 'category', category, NULL FROM obs
WHERE category IS NOT NULL AND category NOT IN (SELECT slug FROM ref_categories WHERE slug IS NOT NULL) AND EXISTS (SELECT 1 FROM ref_categories);
-- ngày không hợp lệ (cần yyyy-mm-dd) | date does not parse (expected yyyy-mm-dd)
SELECT file, row, 'as_of', as_of, NULL FROM obs WHERE NOT is_submission AND as_of_date IS NULL;
-- nguồn không có trong data/sources.csv | source is not listed in data/sources.csv
SELECT file, row, 'source_file', source_file, NULL FROM obs
WHERE source_file IS NULL OR source_file NOT IN (SELECT source_file FROM ref_sources WHERE source_file IS NOT NULL);


-- Figures of both kinds (observations and budget rows), by the columns they share.
-- cách ghi số không hợp lệ{ (dùng: %s)} | unknown qualifier{ (use: %s)}
SELECT file, row, 'qualifier', qualifier, (SELECT string_agg(id, ', ') FROM vocab WHERE vocabulary = 'qualifier') FROM (FROM obs UNION ALL BY NAME FROM bud)
WHERE qualifier NOT IN (SELECT id FROM vocab WHERE vocabulary = 'qualifier');
-- cách nêu số liệu (modality) không hợp lệ{ (dùng: %s)} | unknown modality{ (use: %s)}
SELECT file, row, 'modality', modality, (SELECT string_agg(id, ', ' ORDER BY position) FROM vocab WHERE vocabulary = 'modality')
FROM obs WHERE modality NOT IN (SELECT id FROM vocab WHERE vocabulary = 'modality');
-- định nghĩa chưa có trong kpis/vocabularies.csv (definition){; có phải '%s'?} | definition is not in kpis/vocabularies.csv (definition){; did you mean '%s'?}
SELECT file, row, 'definition', definition,
       (SELECT id FROM vocab WHERE vocabulary = 'definition' AND jaro_winkler_similarity(id, definition) >= 0.8
        ORDER BY jaro_winkler_similarity(id, definition) DESC LIMIT 1) FROM (FROM obs UNION ALL BY NAME FROM bud)
WHERE definition IS NOT NULL AND definition NOT IN (SELECT id FROM vocab WHERE vocabulary = 'definition');

-- ngày ở tương lai | date is in the future
SELECT file, row, 'as_of', as_of, NULL FROM (FROM obs UNION ALL BY NAME FROM bud) WHERE as_of_date > current_date;
-- ngày trước 01/01/2000 không hợp lệ | a date before 01/01/2000 is not valid
SELECT file, row, 'as_of', as_of, NULL FROM (FROM obs UNION ALL BY NAME FROM bud) WHERE as_of_date < DATE '2000-01-01';
-- thiếu trích dẫn nguồn | source quote is missing
SELECT file, row, 'source_quote', source_quote, NULL FROM (FROM obs UNION ALL BY NAME FROM bud) WHERE source_quote IS NULL;
-- đơn vị không có trong danh mục cơ quan, địa phương{; có phải '%s'?} | entity is not a known agency or province{; did you mean '%s'?}
SELECT file, row, 'entity', entity, suggest_entity(entity) FROM unresolved WHERE merged_into IS NULL;
-- tỉnh cũ, đã sáp nhập vào{ %s} từ 01/07/2025: hãy ghi đơn vị mới{ '%s'} | a former province, merged into{ %s} on 1 July 2025: write the new unit{ '%s'}
SELECT file, row, 'entity', entity, merged_into FROM unresolved WHERE merged_into IS NOT NULL;
-- mã xung đột chưa được giải thích trong data/dims/conflicts.csv | conflict id has no explanation in data/dims/conflicts.csv
SELECT file, row, 'conflict_id', conflict_id, NULL FROM (FROM obs UNION ALL BY NAME FROM bud)
WHERE conflict_id IS NOT NULL AND conflict_id NOT IN (SELECT conflict_id FROM ref_conflicts WHERE conflict_id IS NOT NULL) AND EXISTS (SELECT 1 FROM ref_conflicts);
-- trích dẫn không có nguyên văn trong{ %s} | quote is not found verbatim in{ %s}
SELECT arg_min(file, seq), arg_min(row, seq), 'source_quote', left(source_quote, 80), source_file
FROM (SELECT file, row, seq, source_file, source_quote FROM obs WHERE NOT is_submission OR quoted
      UNION ALL SELECT file, row, seq + 1e9, source_file, source_quote FROM bud WHERE NOT is_submission)
JOIN ref_source_texts t USING (source_file) WHERE source_quote IS NOT NULL
GROUP BY source_file, source_quote, t.text HAVING NOT contains(t.text, fold(source_quote));
-- trích dẫn không chứa con số này | quote does not contain this number
SELECT arg_min(file, seq), arg_min(row, seq), 'value', value, NULL FROM obs
WHERE (NOT is_submission OR quoted) AND source_quote IS NOT NULL AND num IS NOT NULL AND coalesce(unit, '') <> 'flag'
GROUP BY source_quote, num, value HAVING NOT states(source_quote, num);
-- trích dẫn không chứa con số này | quote does not contain this number
SELECT arg_min(file, seq), arg_min(row, seq), 'amount', amount, NULL FROM bud
WHERE NOT is_submission AND source_quote IS NOT NULL AND num IS NOT NULL
GROUP BY source_quote, num, amount HAVING NOT states(source_quote, num);
-- trích dẫn không chứa mẫu số này | quote does not contain this base
SELECT arg_min(file, seq), arg_min(row, seq), 'base', base, NULL FROM obs WHERE (NOT is_submission OR quoted) AND source_quote IS NOT NULL AND base_num IS NOT NULL
GROUP BY source_quote, base_num, base HAVING NOT states(source_quote, base_num);
-- trích dẫn không nêu tên đơn vị | quote does not name the entity
SELECT arg_min(file, seq), arg_min(row, seq), 'source_quote', left(source_quote, 80), NULL FROM obs
WHERE (NOT is_submission OR quoted) AND unit = 'flag' AND entity IS NOT NULL AND source_quote IS NOT NULL
GROUP BY source_quote, entity HAVING NOT contains(lower(fold(source_quote)), lower(fold(entity)));
-- dòng trùng với dòng{ %s} (cùng khóa) | duplicate of row{ %s} (same key)
SELECT file, row, 'key', NULL, min(row) OVER w FROM obs WHERE is_submission
WINDOW w AS (PARTITION BY file, indicator_id, coalesce(entity_id, entity), programme, category, as_of_date)
QUALIFY row > min(row) OVER w;
-- dòng trùng với dòng{ %s} (cùng khóa) | duplicate of row{ %s} (same key)
SELECT file, row, 'key', NULL, min(row) OVER w FROM bud WHERE is_submission
WINDOW w AS (PARTITION BY file, year_num, level, spending_kind, domain, stage, coalesce(entity_id, entity), as_of_date)
QUALIFY row > min(row) OVER w;


-- Budget rows.

-- năm ngân sách không hợp lệ | fiscal year is not a valid year
SELECT file, row, 'fiscal_year', fiscal_year, NULL FROM bud WHERE year_num IS NULL OR year_num NOT BETWEEN 2000 AND 2100;
-- số tiền không phải là số | amount is not a number
SELECT file, row, 'amount', amount, NULL FROM bud WHERE NOT is_submission AND num IS NULL;
-- số tiền không được âm | amount must not be negative
SELECT file, row, 'amount', amount, NULL FROM bud WHERE num < 0;
-- đơn vị tiền không hợp lệ | unknown currency unit
SELECT file, row, 'unit', unit, NULL FROM bud WHERE factor IS NULL;
-- giá trị không thuộc danh mục cho phép:{ %s} | value is not one of:{ %s}
SELECT b.file, b.row, v.col, v.val, (SELECT string_agg(id, ', ') FROM vocab WHERE vocabulary = v.col)
FROM bud b, LATERAL (VALUES ('level', b.level), ('spending_kind', b.spending_kind), ('domain', b.domain), ('stage', b.stage)) v(col, val)
WHERE v.val IS NULL OR v.val NOT IN (SELECT id FROM vocab WHERE vocabulary = v.col);
-- ngày không hợp lệ (cần yyyy-mm-dd) | date does not parse (expected yyyy-mm-dd)
SELECT file, row, 'as_of', as_of, NULL FROM bud WHERE NOT is_submission AND as_of_date IS NULL;
-- nguồn không có trong data/sources.csv | source is not listed in data/sources.csv
SELECT file, row, 'source_file', source_file, NULL FROM bud
WHERE source_file IS NULL OR source_file NOT IN (SELECT source_file FROM ref_sources WHERE source_file IS NOT NULL);


-- The labels of the sub-groups and conflicts, the illustrative task registry and the map.

-- nhóm thiếu tên tiếng Việt hoặc tiếng Anh | category label lacks its Vietnamese or English name
SELECT file, row, 'slug', slug, NULL FROM ref_categories WHERE name_vi IS NULL OR name_en IS NULL;
-- nhóm được khai báo hai lần | category is declared twice
SELECT file, min(row), 'slug', slug, NULL FROM ref_categories GROUP BY file, slug HAVING count(*) > 1;
-- thiếu mã xung đột | conflict id is missing
SELECT file, row, 'conflict_id', conflict_id, NULL FROM ref_conflicts WHERE conflict_id IS NULL;
-- thiếu giải thích tiếng Việt hoặc tiếng Anh | the Vietnamese or English explanation is missing
SELECT file, row, 'explanation_en', conflict_id, NULL FROM ref_conflicts WHERE explanation_vi IS NULL OR explanation_en IS NULL;
-- mã xung đột được giải thích hai lần | conflict id is explained twice
SELECT file, min(row), 'conflict_id', conflict_id, NULL FROM ref_conflicts GROUP BY file, conflict_id HAVING count(*) > 1;
-- danh mục nhiệm vụ minh họa: mọi dòng phải ghi is_illustrative = true | illustrative task registry: every row must say is_illustrative = true
SELECT file, row, 'is_illustrative', is_illustrative, NULL FROM raw_tasks WHERE is_illustrative IS DISTINCT FROM 'true';
-- chương trình không có trong data/dims/programmes.csv | programme is not in data/dims/programmes.csv
SELECT file, row, 'programme', programme, NULL FROM raw_tasks WHERE programme IS NULL OR programme NOT IN (SELECT id FROM ref_programmes WHERE id IS NOT NULL);
-- tình trạng nhiệm vụ không hợp lệ | unknown task status
SELECT file, row, 'status', status, NULL FROM raw_tasks
WHERE status IS NULL OR status NOT IN (SELECT id FROM vocab WHERE vocabulary = 'task_status' AND id NOT IN ('total', 'done', 'in_progress'));
-- cơ quan chủ trì không có trong danh mục đơn vị | lead agency is not in the agency table
SELECT file, row, 'lead_agency_ids', a, NULL FROM (SELECT file, row, unnest(string_split(lead_agency_ids, ';')) AS a FROM raw_tasks)
WHERE a NOT IN (SELECT id FROM ref_agencies WHERE id IS NOT NULL);
-- ngày không hợp lệ (cần yyyy-mm-dd) | date is not valid (yyyy-mm-dd)
SELECT file, row, v.col, v.val, NULL FROM raw_tasks,
       LATERAL (VALUES ('as_of', as_of), ('deadline', deadline), ('completion_date', completion_date)) v(col, val)
WHERE v.val IS NOT NULL AND try_cast(v.val AS DATE) IS NULL;
-- nhiệm vụ quá hạn phải có hạn trước ngày báo cáo | an overdue task needs a deadline before the report date
SELECT file, row, 'deadline', deadline, NULL FROM raw_tasks
WHERE status = 'overdue' AND NOT (try_cast(deadline AS DATE) < try_cast(as_of AS DATE));
-- vùng bản đồ không khớp tỉnh nào | map feature matches no province
SELECT 'data/geo/vn_provinces_34.geojson', NULL, 'agency_id', agency_id, NULL FROM raw_shapes
WHERE agency_id IS NULL OR agency_id NOT IN (SELECT id FROM ref_agencies WHERE kind = 'province');
-- mã tỉnh trùng trên bản đồ | province code appears twice on the map
SELECT 'data/geo/vn_provinces_34.geojson', NULL, 'code', code, NULL FROM raw_shapes GROUP BY code HAVING count(*) > 1;
