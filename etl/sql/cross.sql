-- Rules across rows, run once every row passes the rules of rules.sql (same format).

-- số liệu mâu thuẫn với dòng khác cùng chỉ tiêu, đơn vị, định nghĩa và ngày nhưng chưa gắn chung mã xung đột | figure disagrees with another row for the same indicator, entity, definition and date and does not share its conflict id
SELECT file, row, 'conflict_id', value, NULL FROM (
    SELECT *, min(num * factor) OVER w <> max(num * factor) OVER w AS differ,
           count(conflict_id) OVER w = count(*) OVER w AND min(conflict_id) OVER w = max(conflict_id) OVER w AS shared
    FROM obs WHERE NOT is_submission
    WINDOW w AS (PARTITION BY indicator_id, entity_id, programme, category, definition, as_of_date))
WHERE differ AND NOT shared ORDER BY file, row;
-- số hoàn thành đúng hạn + quá hạn khác tổng số hoàn thành | done on time + done late differs from done
SELECT total_file, total_row, 'value', NULL, NULL FROM task_groups
WHERE NOT flagged AND done <> done_on_time + done_late;
-- các trạng thái không cộng lại bằng tổng số nhiệm vụ | status counts do not add up to the total
SELECT total_file, total_row, 'value', NULL, NULL FROM task_groups
WHERE NOT flagged AND total NOT IN (d + p + coalesce(overdue, 0) + coalesce(recurring, 0), d + p + coalesce(recurring, 0),
                                    d + p + coalesce(overdue, 0));
-- các trạng thái vượt quá tổng số nhiệm vụ | status counts exceed the total
SELECT total_file, total_row, 'value', NULL, NULL FROM task_groups
WHERE NOT flagged AND p IS NULL AND in_progress IS NULL AND recurring IS NULL AND total < d + overdue;
