#!/usr/bin/env bats
# reach-cookbook(7): every recipe of the page, taken from its literal block
# (the one after a '.\" recipe: NAME' line) and run word for word, as a user
# pastes it, in a bureau folder: a sample county of today in county.db and
# incoming/, last month's referrals in the ledger, and the department files
# the recipes name.

load helper

page="$top/man/reach-cookbook.7"
recipes="monthly-scan flood hotline harvest alone80 medical-month excel overdue adhoc new-department standard sweep"
export TZ=CST-8		# a machine in Xiushan: date(1) and reach agree on today
PATH="$top/scripts:$PATH"

# The text of recipe NAME, mdoc escapes undone (\& is nothing, \e is \).
recipe_text() {
	awk -v name="$1" '
		index($0, ".\\\" recipe: ") == 1 { cur = substr($0, 13); next }
		cur == name && /^\.Bd -literal/ { inb = 1; next }
		/^\.Bd/ { cur = "" }
		inb && /^\.Ed$/ { exit }
		inb { print }
	' "$page" | sed -e 's/\\&//g' -e 's/\\e/\\/g'
}

# Run recipe NAME in the current folder, stdin a terminal's nothing.
recipe() {
	recipe_text "$1" > "$1.sh"
	[ -s "$1.sh" ] || { echo "no recipe '$1' in $page"; return 1; }
	bash -e -o pipefail "$1.sh" < /dev/null
}

# Field F of the roster rows jq selects with FILTER, one per line.
roster() {
	reach import -q "$W/incoming/roster.csv" | jq -r "$1"
}

setup_file() {
	W="$BATS_FILE_TMPDIR/bureau"
	export W
	mkdir -p "$W" && cd "$W" || return 1
	today=$(date +%F)
	"$top/build/gen-county" --seed 7 --households 500 --as-of "$today" \
		--out incoming
	rm -f incoming/*.tsv incoming/*.ndjson
	reach import -q --db county.db incoming/*.csv > /dev/null
	# referrals pushed a month ago: overdue now
	reach match --db county.db < /dev/null | reach flag --flagged-only |
		reach refer -q --db county.db --as-of "$(date -d "$today - 30 days" +%F)" > /dev/null

	# a flood: one household head in each of two villages of one town
	{
		echo '灾害类型,发生日期,乡镇（街道）,村（社区）,户主姓名,身份证号码,家庭人口数,房屋损失,是否转移安置,联系电话'
		roster '.' | jq -s -r --arg d "$(date -d "$today - 2 days" +%F)" '
			map(select(.rel == "head" and .town and .village))
			| group_by(.town) | map(select(map(.village) | unique | length >= 2))
			| .[0] | group_by(.village) | .[0:2][] | .[0]
			| ["洪涝", $d, .town, .village, .name, .id, .hh_size, "严重损坏", "是", .phone] | @csv'
	} | tr -d '"' > 受灾排查-洪涝.csv
	# the same two villages, as the emergency office names them: places only
	{
		echo '乡镇（街道）,村（社区）,灾害类型,发生日期'
		awk -F, 'NR > 1 { print $3 "," $4 "," $1 "," $2 }' 受灾排查-洪涝.csv
	} > 灾情村.csv
	# this morning's call to the hotline
	roster 'select(.rel == "head" and .town == "中和街道") | [.name, .phone, .id, .town, .village] | @csv' |
		head -1 | awk -v t="$today" -F, 'BEGIN { OFS = "," }
		{ print "工单编号,来电时间,来电人姓名,联系电话,身份证号码,所属乡镇,所属村（社区）,诉求类别,诉求内容,办理状态"
		  print "GD" substr(t, 1, 4) "TODAY01", t " 08:30", $1, $2, $3, $4, $5, "求助", "老伴住院，家里断粮了，请帮帮我们", "已转办" }' \
		| tr -d '"' > 12345热线-今日.csv
	# the medical-insurance export, with one large bill today
	iconv -f GB18030 -t UTF-8 incoming/medical.csv > 医保结算明细.csv
	roster 'select(.rel == "head" and .town) | [.name, .id] | @csv' | sed -n 3p | tr -d '"' |
		awk -v t="$today" -F, '{ print "JS" substr(t, 1, 4) "TODAY01," $1 "," $2 ",城乡居民,秀山县人民医院," t "," t ",肺癌,30000,15000,4000,0,11000" }' \
		>> 医保结算明细.csv
	# the housing bureau's survey
	{
		echo '姓名,身份证号码,乡镇（街道）,村（社区）,房屋鉴定等级,建房年份'
		roster 'select(.rel == "head" and .town) | [.name, .id, .town, .village] | @csv' |
			sed -n '5p;6p;7p' | tr -d '"' |
			awk '{ print $0 "," (NR < 3 ? "D级" : "C级") "," 1980 + NR }'
	} > 住建局-危房排查.csv
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	cp -r "$W"/. .
}

# how many lines of a file are data rows of a CSV with one header line
csv_rows() {
	echo $(( $(wc -l < "$1") - 1 ))
}

@test "every recipe block of the page is one of the tested recipes, and the other way round" {
	[ "$(sed -n 's/^\.\\" recipe: //p' "$page" | sort | paste -sd' ')" = \
	  "$(printf '%s\n' $recipes | sort | paste -sd' ')" ]
	for r in $recipes; do
		[ -n "$(recipe_text "$r")" ] || { echo "empty recipe $r"; return 1; }
	done
	[ "$(grep -c '^\.Sh\|^\.Ss' "$page")" -ge 13 ]
}

@test "the recipes read in the rendered page exactly as they run" {
	if command -v mandoc > /dev/null; then
		mandoc -T utf8 "$page" | col -bx > page.txt
	else
		groff -mandoc -Tutf8 -rLL=300n "$page" 2> /dev/null | col -bx > page.txt
	fi
	for r in $recipes; do
		# in a literal block only \e and \& may be escapes
		recipe_text "$r" > r.txt
		while IFS= read -r line; do
			grep -qF -- "$line" page.txt || { echo "$r: not rendered as: $line"; return 1; }
		done < r.txt
	done
	! awk '/^\.Bd -literal/ { b = 1 } /^\.Ed/ { b = 0 } b' "$page" |
		grep -v '^\.Bd' | grep '\\[^e&]'
}

@test "recipe: monthly scan" {
	run recipe monthly-scan
	[ "$status" -eq 0 ]
	[[ "$output" == *"summary.html"* ]]
	[[ "$output" == *"worklist-"*".csv"* ]]
	[ -z "$(ls incoming/*.csv 2> /dev/null)" ]
	grep -q ': done: ' 月报/monthly-scan.log
}

@test "recipe: flood in two villages" {
	recipe flood
	[ -s 洪涝-走访清单.html ]
	# the responders see the names of the households on the list, in full
	while IFS=, read -r kind day town village head rest; do
		[ "$kind" = 灾害类型 ] && continue
		grep -q "$head" 洪涝-走访清单.html
		grep -q "$village" 洪涝-走访清单.html
	done < 受灾排查-洪涝.csv
	[ "$(jq -c . villages.ndjson | wc -l)" -eq 2 ]
	[ "$(sqlite3 county.db "SELECT count(*) FROM audit WHERE command LIKE '%unmask%' OR detail LIKE '%unmask%'")" -ge 1 ]
}

@test "recipe: sweep of the places hit" {
	recipe sweep
	[ -s 集中排查清单.html ]
	# the households there with someone who cannot fend for themselves
	reach import -q 灾情村.csv | reach match --db county.db |
		reach flag --only emergency-sweep --flagged-only > swept.ndjson
	[ -s swept.ndjson ]
	head=$(jq -r '.members[0].name' swept.ndjson | head -1)
	grep -q "$head" 集中排查清单.html
	grep -q '集中排查' 集中排查清单.html
}

@test "recipe: daily hotline triage" {
	run recipe hotline
	[ "$status" -eq 0 ]
	[[ "$output" == *"断粮"* ]]
	ref=$(printf '%s\n' "$output" | awk -F'\t' '/断粮/ { print $2 }')
	[ "$(sqlite3 county.db "SELECT count(*) FROM referrals WHERE ref = '$ref' AND flags LIKE '%断粮%'")" -eq 1 ]
	# run again: the same call does not make a second referral
	before=$(sqlite3 county.db 'SELECT count(*) FROM referrals')
	recipe hotline > /dev/null
	[ "$(sqlite3 county.db 'SELECT count(*) FROM referrals')" -eq "$before" ]
}

@test "recipe: re-check rejected applicants after a bad harvest" {
	recipe harvest
	want=$(reach match --db county.db < /dev/null | jq -c 'select(.app.result == "rejected" and .urban == false
		and (.app.reason // "" | test("收入")) and (.app.income_month_pc // 0) < 630 * 1.3)' | wc -l)
	[ "$(csv_rows 减产复核.csv)" -eq "$want" ]
	[ "$want" -eq 0 ] || grep -q '今年减产，请入户复核' 减产复核.csv
}

@test "recipe: people over 80 living alone in one township" {
	run recipe alone80
	[ "$status" -eq 0 ]
	want=$(reach match --db county.db < /dev/null | jq -c '
		select(.town == "中和街道") | select([.members[] | select(.death == null)] | length == 1)
		| .members[] | select(.death == null and .age >= 80)' | wc -l)
	[ "${#lines[@]}" -eq "$want" ]
	for line in "${lines[@]}"; do
		[ "$(printf '%s' "$line" | awk -F'\t' '{ print NF }')" -eq 5 ]
		[ "$(printf '%s' "$line" | cut -f3)" -ge 80 ]
	done
}

@test "recipe: households with a new large medical bill this month" {
	run recipe medical-month
	[ "$status" -eq 0 ]
	id=$(tail -1 医保结算明细.csv | cut -d, -f3)
	hid=$(reach match --db county.db < /dev/null | jq -r --arg id "$id" 'select(any(.members[]; .id == $id)) | .hid')
	[ -n "$hid" ]
	[[ "$output" == *"$hid"* ]]
	# only bills of this month, and only the large ones
	[ "$(jq -s 'length' 本月大额.json)" -ge 1 ]
}

@test "recipe: export a township worklist for Excel" {
	recipe excel
	head -c 3 中和街道-走访清单.csv | od -An -tx1 | grep -q 'ef bb bf'
	iconv -f GB18030 -t UTF-8 中和街道-走访清单-GBK.csv > gbk.csv
	[ "$(csv_rows 中和街道-走访清单.csv)" -eq "$(csv_rows gbk.csv)" ]
	want=$(sqlite3 county.db "SELECT count(*) FROM referrals WHERE town = '中和街道' AND status IN ('pushed', 'contacted', 'applying')")
	[ "$(csv_rows 中和街道-走访清单.csv)" -eq "$want" ]
	# the same list in either encoding
	tail -c +4 中和街道-走访清单.csv | cmp - gbk.csv
	head -1 gbk.csv | grep -q '^序号,村（社区）,风险等级,'
}

@test "recipe: follow-up of overdue referrals" {
	run recipe overdue
	[ "$status" -eq 0 ]
	want=$(sqlite3 county.db "SELECT count(*) FROM referrals WHERE status = 'pushed' AND due < '$(date +%F)'")
	[ "$want" -gt 0 ]
	[ "$(csv_rows 逾期未联系.csv)" -eq "$want" ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq "$want" ]
}

@test "recipe: ad hoc questions on the stream" {
	run recipe adhoc
	[ "$status" -eq 0 ]
	flags=$(jq '.flags | length' flagged.ndjson | awk '{ s += $1 } END { print s }')
	[ "$flags" -gt 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '/^ *[0-9]+ [a-z-]+$/ { s += $1 } END { print s }')" -eq "$flags" ]
	[[ "$output" == *'"households":'* ]]
}

@test "recipe: load a new department's file with a one-off --map" {
	run recipe new-department
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"built":')" -eq 2 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"hid":')" -ge 1 ]
	[ "$(sqlite3 county.db "SELECT count(*) FROM rows WHERE src = 'list' AND rec LIKE '%house_grade%'")" -eq 3 ]
}

@test "recipe: what a new dibao standard would change" {
	run recipe standard
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	a=${lines[0]##* } b=${lines[1]##* } c=${lines[2]##* }
	[ "$a" -le "$b" ] && [ "$b" -le "$c" ]
	[[ "${lines[0]}" == "农村低保标准 630 元: "* ]]
}
