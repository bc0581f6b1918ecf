/* unit_cost: criterion 8's indicators (internal to scoring: score_run
 * calls it once the hospitals' own indicators are set).
 *
 * Owns each hospital's OPD and IPD unit costs (OPD: cost / visits; IPD:
 * cost / sum of AdjRW, from cmi.csv), the median of each cost over the
 * region's hospitals of the same level that have it, and whether a
 * hospital is at or below both medians (hospital_result's has_*_cost,
 * *_unit_cost, *_median, *_ok and unit_cost_ok). Each median is over the
 * hospitals of the level that have that cost; criterion 8 counts a
 * hospital with both. Costs and medians are compared as exact rationals
 * (satang per visit, satang per AdjRW); the doubles are for printing. */
#ifndef KHET_UNIT_COST_H
#define KHET_UNIT_COST_H

#include "scoring.h"

/* Sets the unit-cost fields of every hospital of res from fiscal months
 * 0..upto of ds. 0, or -1 when memory runs out. */
int unit_cost_indicators(score_result *res, const dataset *ds, int upto);

#endif
