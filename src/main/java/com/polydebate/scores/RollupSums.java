package com.polydebate.scores;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

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

    static final class Mapper implements RowMapper<RollupSums> {
        @Override
        public RollupSums map(ResultSet rs, StatementContext ctx) throws SQLException {
            RollupSums s = new RollupSums(rs.getString("kind"), rs.getString("subject"), rs.getString("subject_name"));
            s.debates = rs.getLong("debates");
            s.nRound1 = rs.getLong("n_round1");
            s.sumBrierRound1 = rs.getDouble("sum_brier_round1");
            s.sumLogRound1 = rs.getDouble("sum_log_round1");
            s.sumBrierFinal = rs.getDouble("sum_brier_final");
            s.sumLogFinal = rs.getDouble("sum_log_final");
            s.nLift = rs.getLong("n_lift");
            s.sumLift = rs.getDouble("sum_lift");
            s.nSkill = rs.getLong("n_skill");
            s.sumSkillBrier = rs.getDouble("sum_skill_brier");
            s.sumSkillMarket = rs.getDouble("sum_skill_market");
            s.nHerding = rs.getLong("n_herding");
            s.sumHerding = rs.getDouble("sum_herding");
            for (int b = 0; b < Calibration.BINS; b++) {
                s.calibration.count[b] = rs.getLong("cal_n" + b);
                s.calibration.sumForecast[b] = rs.getDouble("cal_p" + b);
                s.calibration.hits[b] = rs.getLong("cal_o" + b);
            }
            return s;
        }
    }
}
