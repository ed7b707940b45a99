SELECT (SELECT COUNT(*) FROM debates) AS debates,
       (SELECT COUNT(*) FROM messages) AS messages,
       (SELECT COUNT(*) FROM debates WHERE created_at >= :since) AS debates_since
