package com.polydebate.scores;

import java.util.Map;

/** One forecaster's sums over the scored debates in a leaderboard's filter (mutable while corrections apply). */
final class RollupSums {
    final String kind;
    final String subject;
    final String subjectName;
    long debates;
    long nRound1;
    double sumBrierRound1;
    double sumLogRound1;
    double sumBrierFinal;
    double sumLogFinal;
    long nLift;
    double sumLift;
    long nSkill;
    double sumSkillBrier;
    double sumSkillMarket;
    long nHerding;
    double sumHerding;
    final Calibration calibration = new Calibration();

    RollupSums(String kind, String subject, String subjectName) {
        this.kind = kind;
        this.subject = subject;
        this.subjectName = subjectName;
    }

    /** Takes a deleted debate's forecast off the sums. */
    void remove(Contribution c) {
        debates--;
        if (c.brierRound1() != null) {
            nRound1--;
            sumBrierRound1 -= c.brierRound1();
            sumLogRound1 -= c.logRound1();
        }
        sumBrierFinal -= c.brierFinal();
        sumLogFinal -= c.logFinal();
        if (c.lift() != null) {
            nLift--;
            sumLift -= c.lift();
        }
        if (c.marketBrier() != null) {
            nSkill--;
            sumSkillBrier -= c.brierFinal();
            sumSkillMarket -= c.marketBrier();
        }
        if (c.herding() != null) {
            nHerding--;
            sumHerding -= c.herding();
        }
        calibration.add(c.calibration(), -1);
    }

    /** A row of rollupSums.sql; sums arrive as whatever number type the database gives. */
    static RollupSums from(Map<String, Object> row) {
        RollupSums s = new RollupSums((String) row.get("kind"), (String) row.get("subject"),
                (String) row.get("subject_name"));
        s.debates = count(row, "debates");
        s.nRound1 = count(row, "n_round1");
        s.sumBrierRound1 = sum(row, "sum_brier_round1");
        s.sumLogRound1 = sum(row, "sum_log_round1");
        s.sumBrierFinal = sum(row, "sum_brier_final");
        s.sumLogFinal = sum(row, "sum_log_final");
        s.nLift = count(row, "n_lift");
        s.sumLift = sum(row, "sum_lift");
        s.nSkill = count(row, "n_skill");
        s.sumSkillBrier = sum(row, "sum_skill_brier");
        s.sumSkillMarket = sum(row, "sum_skill_market");
        s.nHerding = count(row, "n_herding");
        s.sumHerding = sum(row, "sum_herding");
        for (int b = 0; b < Calibration.BINS; b++) {
            s.calibration.count[b] = count(row, "cal_n" + b);
            s.calibration.sumForecast[b] = sum(row, "cal_p" + b);
            s.calibration.hits[b] = count(row, "cal_o" + b);
        }
        return s;
    }

    private static long count(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).longValue();
    }

    private static double sum(Map<String, Object> row, String column) {
        return ((Number) row.get(column)).doubleValue();
    }
}
