#!/usr/bin/env bats
# build/gen-county: the synthetic sample county and its answer key.

load helper

gen="$top/build/gen-county"

# One county for the tests that only read it.
setup_file() {
	[ -x "$gen" ] || make -C "$top" build/gen-county >&2 || return 1
	"$gen" --seed 7 --households 2000 --out "$BATS_FILE_TMPDIR/c" || return 1
}

c() {
	printf '%s/c/%s' "$BATS_FILE_TMPDIR" "$1"
}

@test "the same seed gives byte-identical files, another seed different ones" {
	"$gen" --seed 42 --households 500 --out a
	"$gen" --seed 42 --households 500 --out b
	"$gen" --seed 43 --households 500 --out d
	diff -r a b
	! diff -q a/roster.csv d/roster.csv
	! diff -q a/truth.ndjson d/truth.ndjson
}

@test "every file is there, and every CSV starts with the header of sources.md" {
	for f in roster medical employment disability monitor applications \
	    hotline visit disaster death education; do
		[ -s "$(c $f.csv)" ]
	done
	[ -s "$(c truth.ndjson)" ] && [ -s "$(c identity.tsv)" ]
	hdr() { iconv -f "$2" -t UTF-8 "$(c $1.csv)" | sed -n "${3:-1}p" |
	    sed 's/^\xef\xbb\xbf//; s/\r$//'; }
	[ "$(hdr roster UTF-8)" = "户编号,户主姓名,姓名,身份证号码,与户主关系,性别,出生日期,民族,乡镇（街道）,村（社区）,家庭住址,联系电话,人员类别,纳入日期,家庭人口数,家庭年收入（元）,家庭月人均收入（元）" ]
	[ "$(hdr medical GB18030 2)" = "结算编号,参保人姓名,身份证号码,参保类型,就诊医院,入院日期,出院日期,疾病诊断,医疗总费用,统筹基金支付,大病保险支付,医疗救助支付,个人自付" ]
	[ "$(hdr employment UTF-8)" = "姓名,身份证号码,登记类型,登记日期,原工作单位,是否领取失业保险金,社保缴费状态,中断起始月份" ]
	[ "$(hdr disability GB18030)" = "姓名,身份证号码,残疾类别,残疾等级,发证日期,生活自理能力,乡镇（街道）,村（社区）" ]
	[ "$(hdr monitor UTF-8)" = "户编号,户主姓名,姓名,身份证号码,与户主关系,监测对象类别,主要风险,家庭人均纯收入（元/年）,风险是否消除,乡镇（街道）,村（社区）" ]
	[ "$(hdr applications UTF-8)" = "申请编号,申请人姓名,身份证号码,申请日期,申请类别,审核结果,不予批准原因,家庭月人均收入（元）,乡镇（街道）,村（社区）" ]
	[ "$(hdr hotline UTF-8)" = "工单编号,来电时间,来电人姓名,联系电话,身份证号码,所属乡镇,所属村（社区）,诉求类别,诉求内容,办理状态" ]
	[ "$(hdr visit UTF-8)" = "走访日期,协理员,乡镇（街道）,村（社区）,被走访人姓名,身份证号码,联系电话,家庭住址,困难类型,紧急程度,情况说明" ]
	[ "$(hdr disaster UTF-8)" = "灾害类型,发生日期,乡镇（街道）,村（社区）,户主姓名,身份证号码,家庭人口数,房屋损失,是否转移安置,联系电话" ]
	[ "$(hdr death UTF-8)" = "姓名,身份证号码,死亡日期,乡镇（街道）" ]
	[ "$(hdr education UTF-8)" = "学生姓名,身份证号码,学段,学校,年度学杂费（元）,是否已享受资助" ]
}

@test "encodings: roster has a BOM, medical and disability are GB18030, hotline CRLF" {
	[ "$(head -c 3 "$(c roster.csv)" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	! iconv -f UTF-8 -t UTF-8 "$(c medical.csv)" > /dev/null 2>&1
	iconv -f GB18030 -t UTF-8 "$(c medical.csv)" > med.csv
	head -1 med.csv | grep -q '^秀山县2026年医保结算明细'
	tail -1 med.csv | grep -q '^合计,'
	! iconv -f UTF-8 -t UTF-8 "$(c disability.csv)" > /dev/null 2>&1
	iconv -f GB18030 -t UTF-8 "$(c disability.csv)" > /dev/null
	for f in employment monitor applications hotline visit disaster death \
	    education; do
		iconv -f UTF-8 -t UTF-8 "$(c $f.csv)" > /dev/null
	done
	[ "$(head -1 "$(c hotline.csv)" | od -An -c | tr -d ' \n' | tail -c 4)" = '\r\n' ]
}

@test "every roster ID is an 18-character ID with a valid check digit" {
	sed 1d "$(c roster.csv)" | awk -F, '
	BEGIN { split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ") }
	{
		id = $4; sum = 0; n++
		# mawk knows no {17}
		if (length(id) != 18 || substr(id, 1, 17) !~ /^[0-9]+$/) {
			if (bad++ < 5) print "bad: " id
			next
		}
		for (i = 1; i <= 17; i++) sum += substr(id, i, 1) * w[i]
		if (substr("10X98765432", sum % 11 + 1, 1) != substr(id, 18, 1))
			if (bad++ < 5) print "check: " id
	}
	END { exit !(n > 100 && bad == 0) }'
}

@test "the quirks are there: damaged IDs, serial dates, money styles, yes/no styles" {
	iconv -f GB18030 -t UTF-8 "$(c medical.csv)" > med.csv
	cat med.csv "$(c employment.csv)" "$(c education.csv)" > ids.csv
	grep -q 'E+17' ids.csv
	grep -Eq ',[0-9]{15}000,' ids.csv
	grep -Eq ',4[0-9]{4},' med.csv
	grep -q '¥' "$(c education.csv)"
	grep -q '万' "$(c monitor.csv)" "$(c roster.csv)"
	grep -q '"[0-9]*,[0-9]*\.[0-9][0-9]"' "$(c roster.csv)"
	grep -q ',√,' "$(c disaster.csv)"
	grep -Eq ',(Y|N),' "$(c monitor.csv)" || grep -q ',是,' "$(c monitor.csv)"
	grep -q '年.*月.*日' "$(c visit.csv)" || grep -Eq '^20[0-9]{2}\.' "$(c visit.csv)"
	# employment, disaster and education end in empty rows
	tail -1 "$(c employment.csv)" | grep -qx ',*'
	[ -z "$(tail -1 "$(c disaster.csv)")" ]
}

@test "truth.ndjson parses with jq and names real households with known reasons" {
	jq -e -s 'length > 50' "$(c truth.ndjson)"
	jq -e -s 'all(.[]; (.hh | test("^H[0-9]{6}$")) and (.town | length > 0)
	    and (.village | length > 0) and (.ids | length > 0)
	    and all(.ids[]; test("^500241|^50024[23]|^522229|^650102"))
	    and (.reasons | length > 0)
	    and all(.reasons[]; IN("dibao", "tekun", "medical", "education",
	        "rigid", "alone", "unstable", "rejected", "hotline",
	        "disaster", "sudden")))' "$(c truth.ndjson)"
	# rejected and hotline never stand alone
	jq -e -s 'all(.[]; (.reasons - ["rejected", "hotline"]) | length > 0)' \
	    "$(c truth.ndjson)"
}

@test "evident reasons are reasons; most truth households show one; --latent writes the hidden state" {
	jq -e -s 'all(.[]; (.evident - .reasons) == [])' "$(c truth.ndjson)"
	jq -e -s '(map(select(.evident | length > 0)) | length) > length / 2' "$(c truth.ndjson)"
	# rejected and hotline are evident only with another reason
	jq -e -s 'all(.[]; .evident == [] or ((.evident - ["rejected", "hotline"]) | length > 0))' \
	    "$(c truth.ndjson)"
	"$gen" --seed 7 --households 200 --latent --out lat
	[ "$(wc -l < lat/latent.ndjson)" -eq 200 ]
	jq -e -s 'all(.[]; (.hh | test("^H[0-9]{6}$")) and (.p | length > 0))' lat/latent.ndjson
	# the same county with or without it
	"$gen" --seed 7 --households 200 --out nolat
	diff -r -x latent.ndjson lat nolat
}

@test "identity.tsv has one line per data row, pointing at the row's first line" {
	for f in death.csv applications.csv education.csv; do
		rows=$(awk -F, 'NR > 1 && $1 != ""' "$(c $f)" | wc -l)
		[ "$(grep -c "^$f	" "$(c identity.tsv)")" -eq "$rows" ]
	done
	# the medical file has a title row: its first data row is line 3
	grep -q "^medical.csv	3	" "$(c identity.tsv)"
	# every truth household's members are real people of some row
	cut -f3 "$(c identity.tsv)" | sort -u > people
	jq -r '.ids[]' "$(c truth.ndjson)" | sort -u > truth-ids
	[ "$(comm -12 people truth-ids | wc -l)" -gt 0 ]
	awk -F'\t' 'NF != 3 || $2 !~ /^[0-9]+$/ || length($3) != 18 { exit 1 }' \
	    "$(c identity.tsv)"
}

@test "--households 300 runs in well under a second" {
	t0=$(date +%s%N)
	"$gen" --households 300 --out small
	t1=$(date +%s%N)
	[ $(( (t1 - t0) / 1000000 )) -lt 500 ]
	[ -s small/roster.csv ]
}

@test "without --out, or with a bad date, it says how to use it and fails" {
	run "$gen" --households 10
	[ "$status" -ne 0 ]
	[[ "$output" == *usage* ]]
	run "$gen" --as-of 2026-13-01 --out x
	[ "$status" -ne 0 ]
}
