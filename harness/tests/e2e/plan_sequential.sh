# plan --sequential: simulated runs of a stopping rule drawn from the
# simulator's model. Under equal rates the anytime-valid rule seldom
# declares a difference and the naive peeking rule often does; with a
# large gap the rule stops early and says so; a race drops the weak and
# saves dollars; bad input is refused.
source "$(dirname "$0")/lib.sh"
"$TB" plan --sequential --rates 0.7,0.7 --samples 2 --tasks 300 --runs 300 --naive --format json >"$WORK/null.json" ||
	fail "plan --sequential failed"
"$TB" plan --sequential --rates 0.5,0.8 --samples 2 --tasks 300 --runs 200 --costs 0.01,0.02 --format json \
	>"$WORK/gap.json" || fail "plan --sequential with a gap failed"
"$TB" plan --sequential --rates 0.9,0.85,0.4 --costs 0.01,0.002,0.003 --tasks 200 --runs 100 --format json \
	>"$WORK/race.json" || fail "plan --sequential with three rates failed"
$PY - "$WORK" <<'PYEOF' || exit 1
import json, sys
w = sys.argv[1]
null, gap, race = (json.load(open("%s/%s.json" % (w, n))) for n in ("null", "gap", "race"))
assert null["rule"] == "decided:A,B" and null["runs"] == 300
a, nv = null["claims"]["rate"], null["naive"]["claims"]["rate"]
assert a <= 0.05 and nv >= 0.2, "under the null: anytime %.3f, naive %.3f" % (a, nv)
assert null["tasks_mean"] > 250, null["tasks_mean"]
assert gap["right"]["rate"] > 0.95 and gap["wrong"]["runs"] == 0, gap["right"]
assert gap["tasks_p90"] < 150 and gap["usd_mean"] < 0.5 * gap["usd_full"], (gap["tasks_p90"], gap["usd_mean"])
assert gap["fixed_tasks"] > 0 and abs(gap["usd_full"] - 300 * 2 * 0.03) < 1e-9, gap["usd_full"]
assert race["rule"] == "race" and race["providers"][2]["dropped"] == 1, race["providers"][2]
assert race["providers"][2]["tasks_asked_mean"] < 60 and race["right"]["rate"] > 0.9
print("null: anytime %.1f%% against naive %.1f%% of runs; a 30-point gap decided after %.0f tasks on average "
      "(%.0f%% of the dollars); a race dropped the weak after %.0f tasks"
      % (100 * a, 100 * nv, gap["tasks_mean"], 100 * gap["usd_mean"] / gap["usd_full"],
         race["providers"][2]["tasks_asked_mean"]))
PYEOF
"$TB" plan --sequential --rates 0.7 2>"$WORK/err" ; [ $? = 2 ] || fail "one rate was taken"
"$TB" plan --sequential --rates 0.7,1.2 2>"$WORK/err" ; [ $? = 2 ] && grep -q "not a rate" "$WORK/err" || fail "a rate above 1: $(cat "$WORK/err")"
"$TB" plan --sequential --rates 0.7,0.8 --costs 0.1 2>"$WORK/err" ; [ $? = 2 ] || fail "one cost for two rates was taken"
"$TB" plan --sequential --rates 0.7,0.8 --margin 2x 2>"$WORK/err" ; [ $? = 2 ] && grep -q "margin" "$WORK/err" || fail "a bad margin: $(cat "$WORK/err")"
"$TB" plan --sequential --rates 0.7,0.8 >"$WORK/text" || fail "the text form failed"
grep -q "declares a difference in" "$WORK/text" && grep -q "a fixed design needs" "$WORK/text" || fail "text: $(cat "$WORK/text")"
