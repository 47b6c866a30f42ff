#!/usr/bin/env bats
# reach match: rows about people into households.
#
# The planted cases in tests/data/match sit inside a synthetic county, so
# that names are as common or as rare as they are in a real one.

load helper

setup_file() {
	export county="$BATS_FILE_TMPDIR/county"
	"$top/build/gen-county" --households 400 --seed 3 --out "$county"
	reach import -q "$county"/*.csv "$data"/match/*.csv > "$BATS_FILE_TMPDIR/rows.ndjson"
	reach match --as-of 2026-11-01 --review "$BATS_FILE_TMPDIR/review.ndjson" \
		"$BATS_FILE_TMPDIR/rows.ndjson" > "$BATS_FILE_TMPDIR/hh.ndjson"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	rows="$BATS_FILE_TMPDIR/rows.ndjson"
	hh="$BATS_FILE_TMPDIR/hh.ndjson"
}

# The household a person (by ID) belongs to, as one JSON line.
household_of() {
	jq -c --arg id "$1" 'select(any(.members[]; .id == $id))' "$hh"
}

@test "one roster household with its members, head first, ages at --as-of" {
	household_of 500241194003120011 > h
	[ "$(jq -c '[.members[] | [.name, .rel, .age]]' h)" = \
	  '[["张三","head",86],["李四","spouse",81],["张小明","grandchild",14]]' ]
	[ "$(jq -c '[.size, .town, .village, .urban]' h)" = '[3,"龙池镇","洞坪村",false]' ]
	[ "$(jq -c '.counts | [.age60, .age80, .under16, .unable_work]' h)" = '[2,2,1,3]' ]
}

@test "every row is in exactly one household: nothing lost, nothing twice" {
	[ "$(jq -s 'map(.members[].rows | length) | add' "$hh")" = "$(jq -s length "$rows")" ]
	[ "$(jq -r '.members[].rows[] | @json' "$hh" | sort | uniq -d | wc -l)" = 0 ]
}

@test "a traditional-character name with the same ID is the same person" {
	[ "$(household_of 500241194003120011 | jq -c '.members[0].rows | map(.[0]) | sort | unique')" = \
	  '["hotline","medical","roster"]' ]
}

@test "medical spending sums exactly over the 12 months before --as-of" {
	household_of 500241194003120011 > h
	# JS1 6000.05 + JS2 4000.20 (repaired ID); JS3 of 2025-01 is too old
	[ "$(jq -c '.members[0].med | [.oop, .visits, .serious, .diag]' h)" = '[10000.25,2,true,["肺癌"]]' ]
	[ "$(jq -c '.med' h)" = '{"oop":10200.55,"total":30800.1}' ]
}

@test "an ID with two digits swapped is repaired to the person whose name agrees" {
	household_of 500241194003120011 > h
	[ "$(jq -c '.link[] | select(.how == "id_repair") | [.row, .fields.name[0]]' h)" = \
	  '[["medical","tests/data/match/medical.csv",3],"exact"]' ] ||
	[ "$(jq -c '.link[] | select(.how == "id_repair") | .row[2]' h)" = 3 ]
}

@test "a hotline caller known by a homophone, phone and village joins the person, and says why" {
	household_of 500241194003120011 > h
	[ "$(jq -c '.link[] | select(.row[0] == "hotline") | [.how, .fields.name[0], .fields.phone[0], .fields.place[0]]' h)" = \
	  '["probabilistic","pinyin","same","village"]' ]
	jq -e '.link[] | select(.row[0] == "hotline") | .prob >= 0.95 and .score > 0' h
	[ "$(jq -c '.hot | [.count, .urgent, .text]' h)" = '[1,true,["老人病重没钱看病"]]' ]
}

@test "a caller known only by name and village joins the monitored person" {
	household_of 500241195807150069 > h
	[ "$(jq -c '[.members[].name]' h)" = '["刘芳","陈军"]' ]
	[ "$(jq -c '.members[0].src' h)" = '["hotline","monitor"]' ] ||
	[ "$(jq -c '.members[0].src | sort' h)" = '["hotline","monitor"]' ]
	[ "$(jq -c '.members[1].emp | [.status, .ins, .ins_since]' h)" = '["unemployed","stopped","2026-08-01"]' ]
	[ "$(jq -c '[.mon.kind, .income_pc_month]' h)" = '["unstable",500]' ]
}

@test "two people with the same common name and birth year in one village stay apart" {
	[ "$(jq -c 'select(any(.members[]; .name == "王伟" and .village == "大河村")) | .members[0].birth' "$hh" | sort | paste -sd,)" = \
	  '"1960-03-01","1960-09-12"' ]
	# the pair is offered for review, not merged
	[ "$(jq -c 'select(.row[1] | test("survey.csv")) | [.how, .fields.birth[0], (.prob < 0.95)]' "$BATS_FILE_TMPDIR/review.ndjson")" = \
	  '["review","differ",true]' ]
}

@test "person and household keys are the same from one run to the next" {
	reach match --as-of 2026-11-01 "$rows" > again.ndjson
	cmp <(jq -c '[.hid, [.members[].pid]]' "$hh") <(jq -c '[.hid, [.members[].pid]]' again.ndjson)
	# and do not depend on the order of the input
	tac "$rows" | reach match --as-of 2026-11-01 > reversed.ndjson
	[ "$(jq -r '.hid' reversed.ndjson | sort | md5sum)" = "$(jq -r '.hid' "$hh" | sort | md5sum)" ]
}

@test "the linkage of the sample county is right for at least 99% of row pairs" {
	jq -r '.members[] | .pid as $p | .rows[] | [.[1], .[2], $p] | @tsv' "$hh" |
		sed "s|$county/||" > pred.tsv
	awk -F'\t' 'NR == FNR { truth[$1 FS $2] = $3; next }
		($1 FS $2) in truth { t = truth[$1 FS $2]; pair[$3 FS t]++; pp[$3]++; tp[t]++ }
		END {
			for (k in pair) same += pair[k] * (pair[k] - 1) / 2
			for (k in pp) pred += pp[k] * (pp[k] - 1) / 2
			for (k in tp) tru += tp[k] * (tp[k] - 1) / 2
			p = same / pred; r = same / tru; f = 2 * p * r / (p + r)
			printf "precision %.4f recall %.4f F1 %.4f\n", p, r, f
			exit !(f >= 0.99)
		}' "$county/identity.tsv" pred.tsv
}

@test "the database supplies rows; a record piped in as well counts once" {
	reach import -q --db county.db "$data"/match/*.csv > piped.ndjson
	reach match --as-of 2026-11-01 --db county.db < /dev/null > from-db.ndjson
	reach match --as-of 2026-11-01 --db county.db piped.ndjson --stats > both.ndjson 2> err
	cmp from-db.ndjson both.ndjson
	grep -q '"duplicates":14' err
	[ "$(jq -s 'map(.members[].rows | length) | add' from-db.ndjson)" = 14 ]
}

@test "--explain prints the learned weights and each link readably" {
	reach match --explain --as-of 2026-11-01 "$rows" > explain.txt
	grep -q '^name    exact' explain.txt
	grep -q '^id repair: \["medical","tests/data/match/medical.csv",3\]' explain.txt ||
	grep -q 'id repair: \["medical",".*tests/data/match/medical.csv",3\]' explain.txt
}

@test "invalid JSON stops with file:line, or goes to --rejects" {
	printf '%s\n' '{"src":"list","name":"甲"}' '{"src":' '{"src":"list","name":"乙"}' > bad.ndjson
	run reach match bad.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.ndjson:2: invalid JSON"* ]]
	run reach match --rejects rej.ndjson -o out.ndjson bad.ndjson
	[ "$status" -eq 1 ]
	[ "$(jq -s length out.ndjson)" = 2 ]
	[ "$(jq -r '.src_line' rej.ndjson)" = 2 ]
}
