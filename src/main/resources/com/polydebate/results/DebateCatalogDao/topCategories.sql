SELECT market_category AS category, COUNT(*) AS debate_count
  FROM debates
 WHERE user_id = :userId AND is_deleted = FALSE AND market_category IS NOT NULL
 GROUP BY market_category
 ORDER BY debate_count DESC, market_category ASC
 LIMIT 3
