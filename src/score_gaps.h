/* score_gaps: what is missing from the data a scheme scores (internal to
 * scoring: score_run lists the gaps, the commands report them).
 *
 * Owns the files each measure reads, the gaps of a region (a file missing,
 * a province without hospitals, a hospital's month or once-a-year row
 * missing), the criteria they touch, and their messages. */
#ifndef KHET_SCORE_GAPS_H
#define KHET_SCORE_GAPS_H

#include "scoring.h"

/* Lists every gap in what the scheme scores between fiscal months start and
 * end and marks the criteria they touch. 0, or -1 when memory runs out. */
int score_find_gaps(score_result *res, int start, int end);

#endif
