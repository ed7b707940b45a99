INSERT INTO debate_outcomes (debate_id, position, name, slug, price, shares, volume, price_change_24h, image_url)
VALUES (:debateId, :position, :name, :slug, :price, :shares, :volume, :priceChange24h, :imageUrl)
