#!/usr/bin/env bats
# reach flag: jq rules that say which households are at risk, and why.

load helper

hh="$data/flag/households.ndjson"
asof="--as-of 2026-10-31"

# Each default rule has a household that fires it (fire-RULE) and a
# close one that must not (miss-RULE).
# The default rules over the fixtures once: compiling costs libjq time.
setup_file() {
	reach flag --as-of 2026-10-31 "$data/flag/households.ndjson" > "$BATS_FILE_TMPDIR/flagged.ndjson"
}

fires() {
	cp "$BATS_FILE_TMPDIR/flagged.ndjson" out.ndjson
	jq -e -s --arg r "$1" 'map(select(.hid == "fire-" + $r))[0] | any(.flags[]; .rule == $r)' out.ndjson
	jq -e -s --arg r "$1" 'map(select(.hid == "miss-" + $r))[0] | all(.flags[]; .rule != $r)' out.ndjson
}

why_of() {
	jq -r --arg r "$1" 'select(.hid == "fire-" + $r) | .flags[] | select(.rule == $r) | .why' out.ndjson
}

@test "tekun-unenrolled: every member unable to work, income below the standard, on neither dibao nor tekun" {
	fires tekun-unenrolled
	jq -e -s 'map(select(.hid == "miss-tekun-unenrolled-dibao"))[0] | all(.flags[]; .rule != "tekun-unenrolled")' out.ndjson
	[[ "$(why_of tekun-unenrolled)" == *"全家2人均无劳动能力（王秀英、李明）"*"低于农村低保标准630元"* ]]
}
@test "dibao-unenrolled: income below the dibao standard, not enrolled" {
	fires dibao-unenrolled
	[ "$(why_of dibao-unenrolled)" = "家庭月人均收入600元，低于农村低保标准630元，未纳入低保" ]
}
@test "edge-income-fell: under the edge line and a job lost since; edge income alone is no flag" {
	fires edge-income-fell
	[[ "$(why_of edge-income-fell)" == "家庭月人均收入900元（农村低保边缘线945元以下），此后张三2026-08-01起失业"* ]]
	jq -e -s 'map(select(.hid == "miss-edge-income-fell"))[0] | .flags == []' out.ndjson
}
@test "medical-burden: 10000 for an enrolled household, not for another" {
	fires medical-burden
	[[ "$(why_of medical-burden)" == *"10500元"*"已享受低保或特困，需医疗救助"* ]]
}
@test "education-burden: fees 40% of the yearly income (not 39%), no child aided" {
	fires education-burden
	jq -e -s 'map(select(.hid == "miss-education-burden-aided"))[0] | all(.flags[]; .rule != "education-burden")' out.ndjson
}
@test "rigid-spending: what medical and school costs leave is under the standard (625, not 642)" {
	fires rigid-spending
	[[ "$(why_of rigid-spending)" == *"扣除后月人均625元，低于农村低保标准630元" ]]
}
@test "alone-elderly: 80+ living alone with a call for help; a 咨询 call is no signal" {
	fires alone-elderly
	[[ "$(why_of alone-elderly)" == "王秀英（86岁）独居，"* ]]
}
@test "severe-disability: without self-care, not on tekun" { fires severe-disability; }
@test "grave-illness: 重特大疾病 with low income" { fires grave-illness; }
@test "sudden-illness: a grave illness first in hospital in the last 120 days, not an old one" {
	fires sudden-illness
	[[ "$(why_of sudden-illness)" == *"白血病"*"15000元"* ]]
}
@test "earner-death: the earner died in the last 180 days" {
	fires earner-death
	[[ "$(why_of earner-death)" == "家庭主要劳动力刘强于2026-09-20去世"* ]]
}
@test "unstable-job-loss: a monitored household lost work lately, not a year ago" { fires unstable-job-loss; }
@test "rejected-worsened: rejected before, income fell since" {
	fires rejected-worsened
	[[ "$(why_of rejected-worsened)" == *"月人均收入由900元降至700元"* ]]
}
@test "hotline-urgent: urgency words in a recent call, not an old one" { fires hotline-urgent; }
@test "hotline-help: a recent call for help, not an inquiry" { fires hotline-help; }
@test "visit-urgent: a visit marked 紧急" { fires visit-urgent; }
@test "visit-need: a visit that found a difficulty, not one that found the family well" { fires visit-need; }
@test "disaster-house: the house collapsed, not a minor loss" { fires disaster-house; }
@test "disaster-vulnerable: an affected area, an 80+ member and a sign of need" { fires disaster-vulnerable; }

@test "emergency-sweep (集中排查): a child with no adult of working age in a flooded village; not with a parent at home, not months later" {
	fires emergency-sweep
	jq -e -s 'map(select(.hid == "miss-emergency-sweep-old-event"))[0] | all(.flags[]; .rule != "emergency-sweep")' out.ndjson
	[[ "$(why_of emergency-sweep)" == "2026-10-20洞坪村受洪涝影响，集中排查：家中有无成年劳动力照看的未成年人" ]]
}

@test "every household comes out, with its keys, flags and risk; risk is the highest level" {
	reach flag $asof "$hh" > out.ndjson
	[ "$(jq -s length out.ndjson)" = "$(wc -l < "$hh")" ]
	jq -e -s 'all(has("flags") and has("risk") and (.members | length > 0))' out.ndjson
	jq -e -s 'map(select(.hid == "fire-rigid-spending"))[0] | .risk == "orange"' out.ndjson
	jq -e -s 'map(select(.hid == "fire-tekun-unenrolled"))[0] | .risk == "red"' out.ndjson
	jq -e -s 'map(select(.hid == "miss-edge-income-fell"))[0] | .flags == [] and .risk == null' out.ndjson
	# the household's own text is kept byte for byte
	[ "$(head -1 out.ndjson | cut -c1-200)" = "$(head -1 "$hh" | cut -c1-200)" ]
}

@test "a household read from stdin, with --flagged-only and --only" {
	reach flag $asof --flagged-only --only dibao-unenrolled,visit-urgent < "$hh" > out.ndjson
	# a household for 特困 not on 低保 has income under the standard too
	[ "$(jq -r .hid out.ndjson | paste -sd,)" = "fire-tekun-unenrolled,fire-dibao-unenrolled,fire-visit-urgent" ]
	run reach flag --only no-such-rule < /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"--only: no rule 'no-such-rule'"* ]]
}

@test "--param changes a threshold; --check prints the params in effect" {
	reach flag $asof --param dibao_rural=650 --only dibao-unenrolled "$hh" > out.ndjson
	jq -e -s 'map(select(.hid == "miss-edge-income-fell"))[0] | .flags == []' out.ndjson
	[ "$(jq -r 'select(.hid == "fire-dibao-unenrolled") | .flags[0].why' out.ndjson)" = \
	  "家庭月人均收入600元，低于农村低保标准650元，未纳入低保" ]
	reach flag $asof --check --param edge_factor=1.6 > check.txt
	grep -q '^\[params 2025-07-01\]' check.txt
	grep -q '^dibao_urban *= 770	# default.rules:' check.txt
	grep -q '^edge_factor *= 1.6	# --param' check.txt
	grep -q '^# 20 rules' check.txt
	run reach flag --param nope=1 --check
	[ "$status" -eq 2 ]
	[[ "$output" == *"--param 'nope': no such parameter"* ]]
}

@test "params take effect from their date: an older --as-of finds none" {
	run reach flag --as-of 2024-01-01 --check
	[ "$status" -eq 2 ]
	[[ "$output" == *"no [params] section in effect at 2024-01-01"* ]]
}

@test "a rule that does not compile names file, line and rule, and nothing runs" {
	printf '[rule ok]\nlevel = red\ngroup = g\nwhen = true\nwhy = "x"\n\n[rule broken]\nlevel = red\ngroup = g\nwhen = .a +\n  | 2\nwhy = "x"\n' > bad.rules
	run reach flag --rules bad.rules "$hh"
	[ "$status" -eq 2 ]
	[ "$output" = "reach flag: bad.rules:11: rule 'broken': when: syntax error, unexpected '|' (Unix shell quoting issues?)" ]
	printf '[rule x]\nlevel = purple\n' > bad.rules
	run reach flag --rules bad.rules --check
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.rules:2: rule 'x': level 'purple': expected red, orange or yellow"* ]]
}

@test "a rule that fails on one household warns on it, is counted, and the run goes on" {
	printf '[rule num]\nlevel = yellow\ngroup = g\nreads = a\nwhen = .a | tonumber > 1\nwhy = "a is \\(.a)"\n' > r.rules
	printf '{"a":"5"}\n{"a":"x","warn":[{"code":"old"}]}\n{"a":"7"}\n' > in.ndjson
	run reach flag --stats --rules r.rules in.ndjson
	[ "$status" -eq 1 ]
	[ "$(echo "$output" | grep -c '^{"a"')" = 3 ]
	echo "$output" | grep '^{"a":"x"' | jq -e '.warn | length == 2 and .[1].code == "rule_error" and (.[1].msg | startswith("rule '"'"'num'"'"': when:"))'
	echo "$output" | grep '^{"households"' | jq -e '.rule_errors == 1 and .flagged == 2'
}

@test "day_number: the same days near --as-of (looked up), far from it (computed), and the same error for a number" {
	printf '[rule d]\nlevel = yellow\ngroup = g\nwhen = true\nwhy = "\\([.d[] | day_number] | map(tostring) | join(","))"\n' > d.rules
	dates='"2026-10-28","2026-11-01","2024-08-23","2024-08-22","2026-12-31","2027-01-01","1999-12-31","2024-02-29","2026-02-30"'
	printf '{"hid":"H1","d":[%s]}\n{"hid":"H2","d":[5]}\n' "$dates" > in.ndjson
	run reach flag --as-of 2026-11-01 --rules d.rules in.ndjson
	[ "$status" -eq 1 ]
	# the prelude's arithmetic, run by the jq binary
	want=$(jq -rn "[$dates | (.[0:4] | tonumber) as \$y0 | (.[5:7] | tonumber) as \$m | (.[8:10] | tonumber) as \$d
		| (if \$m <= 2 then \$y0 - 1 else \$y0 end) as \$y | (\$y / 400 | floor) as \$era | (\$y - \$era * 400) as \$yoe
		| (((153 * (if \$m > 2 then \$m - 3 else \$m + 9 end) + 2) / 5 | floor) + \$d - 1) as \$doy
		| \$era * 146097 + \$yoe * 365 + (\$yoe / 4 | floor) - (\$yoe / 100 | floor) + \$doy - 719468 | tostring] | join(\",\")")
	[ "$(echo "$output" | grep '"H1"' | jq -r '.flags[0].why')" = "$want" ]
	echo "$output" | grep '"H2"' | jq -e '.warn[0].msg | endswith("Cannot index number with object")'
}

@test "invalid JSON stops with file:line, or goes to --rejects and the run goes on" {
	{ head -2 "$hh"; echo '{"hid": oops}'; sed -n 3p "$hh"; } > in.ndjson
	run reach flag $asof in.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"reach flag: in.ndjson:3: invalid JSON: "* ]]
	reach flag $asof --rejects rej.ndjson in.ndjson > out.ndjson 2> err || [ $? -eq 1 ]
	[ "$(jq -s length out.ndjson)" = 3 ]
	jq -e '.src_line == 3 and .raw == "{\"hid\": oops}"' rej.ndjson
}

@test "an input that already has flags and risk gets them replaced, not doubled" {
	reach flag $asof "$hh" | reach flag $asof --only visit-urgent > out.ndjson
	[ "$(jq -r 'select(.flags != []) | .hid' out.ndjson)" = fire-visit-urgent ]
	[ "$(jq -c 'select(.hid == "fire-dibao-unenrolled") | [.flags, .risk]' out.ndjson)" = '[[],null]' ]
	# plain jq sees one key each, and the text of the record is valid JSON
	[ "$(head -1 out.ndjson | grep -o '"flags"' | wc -l)" = 1 ]
}

@test "--explain says every rule's verdict and the values it read; same flags as without" {
	reach flag $asof --explain --only dibao-unenrolled,disaster-house "$hh" > out.ndjson
	[ "$(jq -c 'select(.hid == "fire-dibao-unenrolled") | .explain' out.ndjson)" = \
	  '[{"rule":"dibao-unenrolled","looked_at":{"income_pc_month":600,"urban":false},"verdict":true},{"rule":"disaster-house","verdict":"skipped: needs absent"}]' ]
	diff <(reach flag $asof "$hh" | jq -c '[.flags, .risk]') \
	     <(reach flag $asof --explain "$hh" | jq -c '[.flags, .risk]')
}

@test "a closed pipe is no error; the command is listed in reach --help" {
	for i in $(seq 200); do cat "$hh"; done > big.ndjson
	reach flag $asof big.ndjson | head -1 > /dev/null
	reach --help | grep -q '^  flag '
}

@test "--rules default with a local file: the local rule runs with the defaults; needs >0 gates it" {
	printf '[rule many-old]\nlevel = yellow\ngroup = cannot_apply\nneeds = counts.age80>0\nreads = counts\nwhen = count("age80") >= 1\nwhy = "家中有\\(count("age80"))位80岁以上老人"\n' > local.rules
	reach flag $asof --rules default --rules local.rules --explain "$hh" > out.ndjson
	[ "$(jq -r 'select(.flags | any(.rule == "many-old")) | .hid' out.ndjson | paste -sd,)" = \
	  "fire-tekun-unenrolled,miss-tekun-unenrolled,fire-alone-elderly,miss-alone-elderly,fire-disaster-vulnerable,miss-emergency-sweep-old-event" ]
	jq -e -s 'map(select(.hid == "miss-disaster-vulnerable"))[0] | .explain[] | select(.rule == "many-old") | .verdict == "skipped: needs absent"' out.ndjson
	jq -e -s 'all(.[]; .flags | any(.rule == "dibao-unenrolled")) | not' out.ndjson
}
