package com.polydebate.resolutions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.polydebate.config.ResolutionSettings;
import com.polydebate.http.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The admin view of the tracker: what it follows, where each market stands, and polling on demand. */
final class ResolutionService {
    static final int LIST_LIMIT = 100;

    private final ResolutionDao dao;
    private final ResolutionTracker tracker;
    private final ResolutionSettings settings;
    private final ObjectMapper mapper;

    ResolutionService(ResolutionDao dao, ResolutionTracker tracker, ResolutionSettings settings, ObjectMapper mapper) {
        this.dao = dao;
        this.tracker = tracker;
        this.settings = settings;
        this.mapper = mapper;
    }

    /** Unsettled markets (disputed ones apart), disputed ones, and the most recently settled. */
    Map<String, Object> overview() {
        ResolutionDao.Tracker state = dao.tracker();
        Map<String, Object> trackerView = new LinkedHashMap<>();
        trackerView.put("poll_minutes", settings.pollMinutes());
        trackerView.put("requests_per_minute", settings.requestsPerMinute());
        trackerView.put("lease_owner", state.leaseOwner());
        trackerView.put("lease_expires_at", state.leaseExpiresAt());
        trackerView.put("last_poll_at", state.lastPollAt());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("tracker", trackerView);
        data.put("pending", items(List.of("unknown", "open", "closing", "proposed")));
        data.put("disputed", items(List.of("disputed")));
        data.put("recent", items(List.of("resolved", "void")));
        return data;
    }

    Map<String, Object> refresh() {
        ResolutionTracker.PollResult result = tracker.pollNow();
        if (!result.ran()) {
            throw new ApiException(409, "tracker_busy",
                    "Another instance is polling the markets right now; try again in a moment");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("polled", result.polled());
        data.put("changed", result.changed());
        data.put("failed", result.failed());
        data.put("remaining", result.remaining());
        return data;
    }

    private List<Map<String, Object>> items(List<String> states) {
        List<ResolutionDao.Row> rows = dao.inStates(states, LIST_LIMIT);
        Map<String, List<Map<String, Object>>> history = new LinkedHashMap<>();
        if (!rows.isEmpty()) {
            for (ResolutionDao.Change change : dao.changes(rows.stream().map(ResolutionDao.Row::marketId).toList())) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("state", change.state());
                entry.put("winner", change.winnerName());
                entry.put("observed_at", change.observedAt());
                history.computeIfAbsent(change.marketId(), k -> new ArrayList<>()).add(entry);
            }
        }
        List<Map<String, Object>> items = new ArrayList<>(rows.size());
        for (ResolutionDao.Row row : rows) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("market_id", row.marketId());
            item.put("question", row.question());
            item.put("debates", row.debates());
            item.put("state", row.state());
            item.put("winner", row.winnerName());
            item.put("winner_token", row.winnerToken());
            item.put("winner_count", row.winnerCount());
            item.put("settled_at", row.settledAt());
            item.put("closed_at", row.closedAt());
            item.put("first_seen_at", row.firstSeenAt());
            item.put("checked_at", row.checkedAt());
            item.put("changed_at", row.changedAt());
            item.put("next_check_at", row.nextCheckAt());
            item.put("failures", row.failures());
            item.put("last_error", row.lastError());
            item.put("history", history.getOrDefault(row.marketId(), List.of()));
            item.put("raw", raw(row.raw()));
            items.add(item);
        }
        return items;
    }

    private JsonNode raw(String text) {
        if (text == null) {
            return null;
        }
        try {
            return mapper.readTree(text);
        } catch (IOException e) {
            return mapper.getNodeFactory().textNode(text);
        }
    }
}
