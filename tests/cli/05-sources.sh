# The source files' dependencies (issue 20): no circle between two files,
# by their headers or by the functions they call (the build's objects), but
# those tests/circles.py lists as a module's parts calling each other; the
# circles issue 20 broke (inspection.c <-> model.c, layout_list.c <->
# layout_page.c) and those broken since (layout_page.c <-> layout_text.c,
# scoring.c <-> zband.c) stay broken. And the check can fail.
plan 2
OBJ=$(dirname "${BUILD_TESTS:-$(dirname "$KHET")/tests}")
out=$(python3 tests/circles.py src --objects "$OBJ" 2>&1) && ok || bad "circles between source files: $out"
# model.c made to include inspection.h again: the circle is found
C="$TMP/circles"; rm -rf "$C"; cp -r src "$C"
sed -i '0,/^#include "model_int.h"/s//#include "model_int.h"\n#include "inspection.h"/' "$C/model.c"
out=$(python3 tests/circles.py "$C" 2>&1); rc=$?
[ "$rc" = 1 ] && [[ $out == *"circle: inspection model: inspection->model (model.h), model->inspection (inspection.h)"* ]] &&
  ok || bad "a circle planted between model.c and inspection.c: status $rc, $out"
