#!/usr/bin/env bats
# reach report: summary, worklist, pipeline and overdue views in table,
# CSV, NDJSON, HTML and Markdown, with people's details masked unless
# --unmask, which is audited.

load helper

hh="$data/report/households.ndjson"
em="$data/report/emergency.ndjson"

# A fixed day (a Friday) so that due dates and ages hold still.
report() {
	reach report --as-of 2026-10-09 "$@"
}

ledger() {
	"$data/report/make-ledger" ledger.db
}

@test "into a pipe the default is NDJSON: one summary row by town and level" {
	report "$hh" > out.ndjson
	jq -e -s 'length == 10 and all(.[]; has("town") and has("level") and
	    has("households") and has("persons"))' out.ndjson
	# every household counted once: 13 households, 21 persons
	[ "$(jq -s 'map(.households) | add' out.ndjson)" = 13 ]
	[ "$(jq -s 'map(.persons) | add' out.ndjson)" = 21 ]
	[ "$(jq -r 'select(.town == "龙池镇" and .level == "red") | .households' out.ndjson)" = 1 ]
	# codes stay codes in NDJSON; labels are for people
	jq -e -s 'map(.level) | unique == ["none","orange","red","yellow"]' out.ndjson
}

@test "stdin, '-' and a file give the same report" {
	report "$hh" > a
	report - < "$hh" > b
	report < "$hh" > c
	cmp a b
	cmp a c
}

@test "money is summed exactly, in fen" {
	report --by town "$hh" > out.ndjson
	[ "$(jq -r 'select(.town == "龙池镇") | .med_oop' out.ndjson)" = 22500.75 ]
	report -f csv --by level "$hh" > out.csv
	grep -q '^合计,13,21,64500.75' out.csv
}

@test "--by rule, group and programme count a household under each of its codes" {
	report --by group "$hh" > g.ndjson
	[ "$(jq -r 'select(.group == "zhichu") | .households' g.ndjson)" = 2 ]
	[ "$(jq -r 'select(.group == "none") | .households' g.ndjson)" = 1 ]
	report --by rule --by level "$hh" > r.ndjson
	[ "$(jq -r 'select(.rule == "dibao-unenrolled") | .households' r.ndjson)" = 2 ]
	report --by programme "$hh" > p.ndjson
	[ "$(jq -r 'select(.programme == "dibao") | .households' p.ndjson)" = 1 ]
	report --by village --by town "$hh" > v.ndjson
	[ "$(jq -s 'length' v.ndjson)" = 8 ]
}

@test "table: Chinese column labels, columns aligned by display width" {
	report -f table "$hh" > out.txt
	head -1 out.txt | grep -q '风险户汇总'
	grep -q '^乡镇（街道）  风险等级  户数  人数' out.txt
	# each line's width where the counts end is the same (wcwidth, not bytes)
	python3 - out.txt <<'PY'
import sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
lines = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")][2:]
ws = {width(l) for l in lines if l}
assert len(ws) == 1, ws
PY
	report -f table --lang en "$hh" > en.txt
	grep -q '^township *risk *households' en.txt
	grep -q '^total ' en.txt
}

@test "csv: UTF-8 with a BOM that Python's csv module reads with utf-8-sig" {
	report worklist -f csv "$hh" > out.csv
	[ "$(head -c 3 out.csv | od -An -tx1 | tr -d ' ')" = efbbbf ]
	python3 - out.csv <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
assert rows[0][0] == "序号", rows[0]
assert "预警原因" in rows[0]
assert len(rows) == 13, len(rows)
why = rows[0].index("预警原因")
assert any("未纳入特困供养" in r[why] for r in rows[1:])
assert any(r[rows[0].index("户主")] == "阿******提" for r in rows[1:])
PY
}

@test "csv in gb18030 converts back to the same text" {
	report -f csv "$hh" > utf8.csv
	report -f csv --encoding gb18030 "$hh" > gb.csv
	! cmp -s utf8.csv gb.csv
	iconv -f GB18030 -t UTF-8 gb.csv > back.csv
	tail -c +4 utf8.csv | cmp - back.csv
	run reach report -f html --encoding gb18030 "$hh"
	[ "$status" -eq 2 ]
}

@test "html: one well-formed page with charts, no URL, fit for A4" {
	report -f html "$hh" > out.html
	xmllint --noout out.html
	# libxml2's HTML parser knows HTML 4 only: new tags are no error
	xmllint --html --noout out.html 2> lint.all || true
	grep -a 'error' lint.all |
	    grep -av 'Tag \(svg\|rect\|text\|figure\|figcaption\|footer\) invalid' > lint.txt || true
	[ ! -s lint.txt ] || { cat lint.txt; false; }
	! grep -qi 'http' out.html
	! grep -qi '<script\|<link\|src=' out.html
	grep -q '@page { size: A4' out.html
	[ "$(grep -c '<svg' out.html)" = 2 ]
	grep -q '各乡镇（街道）风险户数' out.html
	# -o with an extension chooses the format
	report -o page.html "$hh"
	cmp out.html page.html
}

@test "md: a Markdown table with a total row" {
	report -f md "$hh" > out.md
	grep -q '^| 乡镇（街道） | 风险等级 | 户数 | 人数 |' out.md
	grep -q '^| ---' out.md
	grep -q '^| \*\*合计\*\*' out.md
}

@test "masked by default in every format: ID 6+4, names, phones; no address or diagnosis" {
	for f in table csv md html ndjson; do
		report worklist -f "$f" "$hh" > "out.$f"
		grep -q '500241\*\*\*\*\*\*\*\*0018' "out.$f"
		grep -q '张\*明' "out.$f"
		grep -q '欧\*\*娜' "out.$f"
		grep -q '150\*\*\*\*6789' "out.$f"
		! grep -q '500241194503120018\|张德明\|13823456789\|15023456789' "out.$f"
		! grep -q '洞坪村3组\|肺癌\|精神残疾\|二级' "out.$f"
	done
}

@test "--unmask shows contact details, and is audited when a database is in use" {
	ledger
	report worklist --db ledger.db --unmask --town 龙池镇 "$hh" > out.ndjson 2> err
	grep -q 'recorded in the audit table' err
	jq -e -s '.[0].id == "500241194503120018" and .[0].phone == "13823456789"
	    and .[0].addr == "龙池镇洞坪村3组12号"' out.ndjson
	[ "$(sqlite3 ledger.db "select count(*) from audit where command = 'report' and detail like 'unmask worklist town=龙池镇%'")" = 1 ]
	# no database: said on stderr, not silently
	report worklist --unmask "$hh" > /dev/null 2> err
	grep -q 'not recorded' err
}

@test "worklist: one line per flagged household, most urgent first, reasons in Chinese" {
	report worklist --town 龙池镇 "$hh" > out.ndjson
	[ "$(jq -s length out.ndjson)" = 4 ]
	jq -e -s 'map(.level) == ["red","orange","orange","yellow"]' out.ndjson
	jq -e -s '.[0].why | length == 2' out.ndjson
	jq -e -s '[.[].no] == [1,2,3,4]' out.ndjson
	# unflagged households are not on it
	! report worklist "$hh" | grep -q H0a1c2e3f4012
}

@test "worklist takes the due date from the ledger" {
	ledger
	report worklist --db ledger.db --town 龙池镇 "$hh" > out.ndjson
	jq -e -s '.[0].due == "2026-09-02" and .[0].ref == "R2026-000001"' out.ndjson
	# without a stream, the ledger's cases still to act on
	report worklist --db ledger.db --town 龙池镇 < /dev/null > open.ndjson
	jq -e -s 'map(.ref) == ["R2026-000002","R2026-000004"]' open.ndjson
}

@test "emergency worklist: by village, the most vulnerable first, unflagged left out" {
	report worklist --town 隘口镇 "$em" > out.ndjson
	jq -e -s 'map(.village) == ["岑龙村","岑龙村","富裕村","富裕村"]' out.ndjson
	jq -e -s 'map(.vulnerability) == [11,5,10,4]' out.ndjson
	report worklist --town 隘口镇 -f table "$em" > out.txt
	grep -q '^村（社区）：岑龙村' out.txt
	grep -q '^村（社区）：富裕村' out.txt
	grep -q '集中排查清单' out.txt
	grep -q '洪涝 2026-10-05' out.txt
}

@test "pipeline: referrals by town and status, overdue and median days" {
	ledger
	report pipeline --db ledger.db > out.ndjson
	jq -e -s 'length == 4' out.ndjson
	jq -e -s '.[] | select(.town == "清溪场街道") | .referrals == 3 and .aided == 1
	    and .declined == 1 and .median_days_contact == 9 and .median_days_aid == 2' out.ndjson
	jq -e -s '.[] | select(.town == "隘口镇") | .overdue == 5 and .closed == 1' out.ndjson
	[ "$(jq -s 'map(.referrals) | add' out.ndjson)" = 16 ]
	report pipeline --db ledger.db -f html > p.html
	xmllint --noout p.html
	! grep -qi http p.html
}

@test "overdue: referrals past due, oldest first" {
	ledger
	report overdue --db ledger.db > out.ndjson
	[ "$(jq -s length out.ndjson)" = 8 ]
	jq -e -s 'map(.due) == (map(.due) | sort)' out.ndjson
	jq -e -s '.[0].days_overdue == 24 and .[7].days_overdue == 2' out.ndjson
	# the same from reach refer's NDJSON, without a database
	reach refer --db ledger.db --as-of 2026-10-09 list > refs.ndjson
	report overdue refs.ndjson > again.ndjson 2> /dev/null
	diff <(jq -c 'del(.no)' out.ndjson) <(jq -c 'del(.no)' again.ndjson)
}

@test "exit status: 1 for bad lines and unreadable files, 2 for usage and a missing database" {
	{ head -2 "$hh"; echo '{not json'; echo '{"x":1}'; } > bad.ndjson
	run reach report bad.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"bad.ndjson:3"* ]]
	run reach report no-such-file.ndjson
	[ "$status" -eq 1 ]
	run reach report --format pdf "$hh"
	[ "$status" -eq 2 ]
	run reach report worklist --by town "$hh"
	[ "$status" -eq 2 ]
	run reach report pipeline --db missing.db
	[ "$status" -eq 2 ]
	[ ! -e missing.db ]
}

@test "a closed pipe is no error" {
	for i in 1 2 3 4 5 6 7 8; do cat "$hh"; done > big.ndjson
	run bash -c "reach report worklist big.ndjson | head -1"
	[ "$status" -eq 0 ]
}

@test "every long option of 'reach report --help' is in reach-report(1)" {
	local opt missing=""
	for opt in $(reach report --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		case $opt in --help|--usage) continue ;; esac
		grep -q -- "Fl \\\\-${opt#--}\\b" "$top/man/reach-report.1" ||
			missing="$missing $opt"
	done
	[ -z "$missing" ] || { echo "not documented:$missing"; return 1; }
}
