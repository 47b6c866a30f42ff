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

@test "a caller who reports on someone else: the row is about that person, the caller kept apart" {
	household_of 500241195807150069 > h
	# GD3: 赵六 phones about 陈军; GD4: 刘芳 about her village, not a person
	[ "$(jq -c '.members[] | select(.name == "陈军") | [(.src | sort), .caller.name, .caller.phone, .phone]' h)" = \
	  '[["employment","hotline","monitor"],"赵六","13900000009",null]' ]
	[ "$(jq -c '.members[] | select(.name == "刘芳") | .hot.count' h)" = 2 ]
	[ "$(jq -c '[.members[].name] | sort' h)" = '["刘芳","陈军"]' ]
}

@test "a visit to someone of another name who gives the household's phone does not join the household's head" {
	# 王秀英 shares 张三's village and phone, but not his name
	[ "$(jq -c 'select(any(.members[]; .name == "王秀英")) | [.members[] | [.name, .src]]' "$hh")" = \
	  '[["王秀英",["visit"]]]' ]
	[ "$(household_of 500241194003120011 | jq -c '[.members[].src[]] | index("visit")')" = null ]
}

@test "a caller known only by a name two people with IDs carry joins neither" {
	# 冉茂芬 is in the unemployment register and the hospital's bills
	# with two IDs; the call gives the name, a phone and a village only
	[ "$(jq -c 'select(any(.members[]; .name == "冉茂芬")) | [.members[] | [.id, .src]]' "$hh" | sort | paste -sd,)" = \
	  '[["500241196805120020",["employment"]]],[["500241199002030041",["medical"]]],[[null,["hotline"]]]' ]
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
	grep -q '"duplicates":20' err
	[ "$(jq -s 'map(.members[].rows | length) | add' from-db.ndjson)" = 20 ]
}

@test "--explain prints the learned weights and each link readably" {
	reach match --explain --as-of 2026-11-01 "$rows" > explain.txt
	grep -q '^name     exact' explain.txt
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

# Two lists with English headers, for the febrl profile.
febrl_lists() {
	printf '%s\n' 'rec_id,given_name,surname,street_number,address_1,suburb,postcode,state,date_of_birth,soc_sec_id' \
		'a1,katherine,o'"'"'brien,12,wattle street,ainslie,2602,act,19700412,4125367' \
		'a2,kathrine,obrien,12,wattle street,ainslie,2602,act,19700412,4125367' \
		'a3,thomas,nguyen,5,banks road,glebe,2037,nsw,19881103,7730125' > a.csv
	printf '%s\n' 'rec_id,given_name,surname,street_number,address_1,suburb,postcode,state,date_of_birth,soc_sec_id' \
		'b1,katherine,o'"'"'brien,12,wattle st,ainslie,2602,act,19700412,4125367' \
		'b2,nguyen,thomas,5,banks raod,glebe,2037,nsw,19881130,7730152' > b.csv
	# other people, so that chance agreement can be measured
	awk 'BEGIN {
		srand(5)
		split("james mary john linda robert susan david karen paul helen mark ruth", g)
		split("smith jones brown wilson taylor white martin clark hall young king wright", f)
		split("park road|high street|church lane|mill road|station street|hill crescent|king avenue", st, "|")
		split("belconnen|bondi|fitzroy|hobart|carlton|manly|parkes|dubbo", sb, "|")
		print "rec_id,given_name,surname,street_number,address_1,suburb,postcode,state,date_of_birth,soc_sec_id"
		for (i = 1; i <= 600; i++)
			printf "c%d,%s,%s,%d,%s,%s,%d,nsw,19%02d%02d%02d,%07d\n", i,
			    g[int(rand() * 12) + 1], f[int(rand() * 12) + 1], int(rand() * 200) + 1,
			    st[int(rand() * 7) + 1], sb[int(rand() * 8) + 1], 2000 + int(rand() * 900),
			    int(rand() * 90) + 10, int(rand() * 12) + 1, int(rand() * 28) + 1,
			    int(rand() * 9000000) + 1000000
	}' > c.csv
	reach import -q --profile febrl a.csv b.csv c.csv > lists.ndjson
}

@test "name parts, addresses and other numbers are compared by similarity, and explained" {
	febrl_lists
	reach match lists.ndjson > hh.ndjson
	# the names typed the wrong way round, a typo in the street, the
	# birth date and the number: still one person
	[ "$(jq -c 'select(any(.members[]; .given == "thomas")) | .link[0].fields |
	    [.given[0], .family[0], .addr[0], .birth[0], .card[0]]' hh.ndjson)" = \
	  '["close","close","close","typo","typo"]' ]
	reach match --explain lists.ndjson > explain.txt
	grep -q '^given    close' explain.txt
	grep -q '^card     typo' explain.txt
	! grep -q '^name ' explain.txt
}

@test "--unique links two deduplicated lists one to one" {
	febrl_lists
	reach match lists.ndjson > all.ndjson
	# a1 and a2 look alike: without --unique they are one person with b1
	[ "$(jq -c 'select(any(.members[]; .given == "katherine")) | [.members[].rows | length]' all.ndjson)" = '[3]' ]
	reach match --unique a.csv,b.csv lists.ndjson > one.ndjson
	# with it, b1 takes its best match and a2 stays a person of its own
	[ "$(jq -c 'select(any(.members[].rows[]; .[1] != "c.csv")) |
	    [.members[] | [.rows[][1]] | sort] | sort' one.ndjson | sort | paste -sd' ')" = \
	  '[["a.csv","b.csv"]] [["a.csv","b.csv"]] [["a.csv"]]' ]
	[ "$(jq -r 'select(.members[0].rows == [["febrl","a.csv",3]]) | .members[0].given' one.ndjson)" = kathrine ]
	# a source named by its src: both lists are "febrl", one source
	reach match --unique febrl lists.ndjson > src.ndjson
	[ "$(jq -s 'map(.members[] | select(.rows[0][1] != "c.csv")) | length' src.ndjson)" = 5 ]
}

@test "FEBRL1: 500 duplicate pairs found without labels, F1 >= 0.99" {
	febrl="$top/../shared/testdata/febrl"
	[ -r "$febrl/dataset1.csv" ] || skip "no FEBRL data in $febrl"
	reach import -q --profile febrl "$febrl/dataset1.csv" > f1.ndjson
	reach match f1.ndjson > f1.hh
	jq -r '[.src_line, .extra.rec_id] | @tsv' f1.ndjson > truth.tsv
	jq -r '.members[] | .pid as $p | .rows[] | [.[2], $p] | @tsv' f1.hh > pred.tsv
	awk -F'\t' 'NR == FNR { split($2, id, "-"); truth[$1] = id[2]; next }
		{ t = truth[$1]; pair[$2 FS t]++; pp[$2]++; tp[t]++ }
		END {
			for (k in pair) same += pair[k] * (pair[k] - 1) / 2
			for (k in pp) pred += pp[k] * (pp[k] - 1) / 2
			for (k in tp) tru += tp[k] * (tp[k] - 1) / 2
			p = same / pred; r = same / tru; f = 2 * p * r / (p + r)
			printf "precision %.4f recall %.4f F1 %.4f\n", p, r, f
			exit !(f >= 0.99)
		}' truth.tsv pred.tsv
}

@test "the output does not depend on the number of threads" {
	REACH_THREADS=1 reach match --as-of 2026-11-01 "$rows" > one.ndjson
	REACH_THREADS=3 reach match --as-of 2026-11-01 "$rows" > three.ndjson
	cmp one.ndjson "$hh"
	cmp three.ndjson "$hh"
}

@test "records written by hand: escapes, spacing and repeated keys are read as jq reads them" {
	printf '%s\n' '{"src":"list","src_line":1,"id":"500241194003120011","name":"张三"}' \
		' { "name" : "\u5f20\u4e09" , "x":[1,{"y":null},-2.5e3], "id":"\u0035\u00300241194003120011","src_line":2} ' \
		'{"src":"list","src_line":3,"e":"\ud83d\ude00","id":"500241194003120011"}' \
		'{"src":"list","src_line":4,"id":"500241194003120011","id":7,"name":"李四"}' > hand.ndjson
	reach match hand.ndjson > hand.hh
	[ "$(jq -c '[.members[] | [.name, (.rows | map(.[2]))]]' hand.hh | sort | paste -sd' ')" = \
	  '[["张三",[1,2,3]]] [["李四",[4]]]' ]
}

@test "an emergency list of places becomes events on every household the database knows there" {
	reach import -q --db county.db "$county"/*.csv > /dev/null
	town=$(jq -r 'select(.src == "roster") | .town' "$rows" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
	village=$(jq -r --arg t "$town" 'select(.src == "roster" and .town == $t) | .village' "$rows" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
	printf '%s\n' '乡镇（街道）,村（社区）,灾害类型,发生日期' "$town,$village,洪涝,2026/10/20" > flood.csv
	reach import flood.csv > areas.ndjson
	[ "$(jq -c '[.src, .town, .village, .dst]' areas.ndjson)" = \
	  "[\"area\",\"$town\",\"$village\",{\"kind\":\"flood\",\"date\":\"2026-10-20\"}]" ]
	reach match --db county.db --as-of 2026-11-01 areas.ndjson > hit.ndjson
	# only households hit, each tagged with the event and the row that named it
	jq -e -s --arg t "$town" --arg v "$village" 'length > 0 and all(.[];
		(.events[0] | [.kind, .date, .src_line] == ["flood", "2026-10-20", 2]) and
		any(.members[]; .town == $t and .village == $v))' hit.ndjson
	# every row about a person the full run places in that village is there
	reach match --db county.db --as-of 2026-11-01 < /dev/null |
		jq -r --arg t "$town" --arg v "$village" \
		'.members[] | select(.town == $t and .village == $v) | .rows[] | @json' | sort > all.txt
	jq -r '.members[].rows[] | @json' hit.ndjson | sort > hit.txt
	[ -s all.txt ]
	[ "$(comm -23 all.txt hit.txt)" = "" ]
}

@test "an area hits a person placed by two rows, one with the town and one with the village" {
	id=$(make_id 50024119400312001)
	printf '%s\n' '{"src":"area","src_file":"a.csv","src_line":2,"town":"T镇","village":"V村","dst":{"kind":"flood","date":"2026-10-20"}}' \
		"{\"src\":\"list\",\"src_line\":1,\"id\":\"$id\",\"name\":\"甲\",\"town\":\"T镇\"}" \
		"{\"src\":\"note\",\"src_line\":2,\"id\":\"$id\",\"name\":\"甲\",\"village\":\"V村\"}" \
		'{"src":"list","src_line":3,"name":"乙","town":"T镇","village":"W村"}' \
		'{"src":"list","src_line":4,"name":"丙","town":"S镇","village":"V村"}' \
		'{"src":"list","src_line":5,"name":"丁"}' > in.ndjson
	[ "$(reach match --as-of 2026-11-01 in.ndjson | jq -c '[.members[].name, .events[0].village]')" = \
	  '["甲","V村"]' ]
	# an area that names no place is about the rows that name none
	sed 's/"town":"T镇","village":"V村","dst"/"dst"/' in.ndjson > none.ndjson
	[ "$(reach match --as-of 2026-11-01 none.ndjson | jq -c '[.members[].name, .events[0].town]')" = \
	  '["丁",""]' ]
}

@test "an area run does not depend on the number of threads" {
	reach import -q --db county.db "$county"/*.csv > /dev/null
	town=$(jq -r 'select(.src == "roster") | .town' "$rows" | sort -u | head -1)
	printf '%s\n' '乡镇（街道）,村（社区）,灾害类型,发生日期' "$town,,疫情,2026-10-01" > epidemic.csv
	reach import -q epidemic.csv > areas.ndjson
	REACH_THREADS=1 reach match --db county.db --as-of 2026-11-01 --review r1 areas.ndjson > one.ndjson
	REACH_THREADS=3 reach match --db county.db --as-of 2026-11-01 --review r3 areas.ndjson > three.ndjson
	[ -s one.ndjson ]
	cmp one.ndjson three.ndjson
	cmp r1 r3
}

@test "an area without a village covers its whole township" {
	reach import -q --db county.db "$county"/*.csv > /dev/null
	town=$(jq -r 'select(.src == "roster") | .town' "$rows" | sort -u | head -1)
	printf '%s\n' '乡镇（街道）,村（社区）,灾害类型,发生日期' "$town,,疫情,2026-10-01" > epidemic.csv
	reach import -q epidemic.csv | reach match --db county.db --as-of 2026-11-01 > hit.ndjson
	jq -e -s --arg t "$town" 'length > 0 and all(.[]; .events[0].kind == "epidemic" and
		any(.members[]; .town == $t))' hit.ndjson
}

@test "bills outside the 12 months, before or after --as-of, leave no trace in the sums" {
	# as of 2025-06-01 the 2026 bills are in the future, the 2025-01 one counts
	reach match --as-of 2025-06-01 "$rows" > early.ndjson
	[ "$(jq -c 'select(any(.members[]; .id == "500241194003120011")) | .members[0].med | [.oop, .visits]' early.ndjson)" = '[1000,1]' ]
	# as of 2028 every bill is too old: no med at all, and still valid JSON
	reach match --as-of 2028-01-01 "$rows" > late.ndjson
	[ "$(jq -c 'select(any(.members[]; .id == "500241194003120011")) | .members[0].med' late.ndjson)" = null ]
}
