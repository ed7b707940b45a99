SELECT COUNT(*)
  FROM debates d
 WHERE d.user_id = :userId AND d.is_deleted = FALSE
   AND (:allCategories OR LOWER(d.market_category) IN (<categories>))
   AND (CAST(:status AS TEXT) IS NULL OR d.status = :status)
   AND (CAST(:createdFrom AS TEXT) IS NULL OR d.created_at >= :createdFrom)
   AND (CAST(:createdBefore AS TEXT) IS NULL OR d.created_at < :createdBefore)
