#!/usr/bin/env bats
# reach import: department CSV files into records.

load helper

@test "a UTF-8 file with BOM, title row, CRLF and a totals row becomes clean records" {
	reach import --stats "$data/medical.csv" > out.ndjson 2> err
	jq -e -s 'length == 3' out.ndjson
	# the title row is line 1 and the header line 2: records say where they came from
	[ "$(jq -c '[.src, .src_line]' out.ndjson | paste -sd' ')" = \
	  '["medical",3] ["medical",4] ["medical",5]' ]
	grep -qx '{"rows":5,"written":3,"warned":1,"rejected":0,"skipped":2,"bad_files":0}' err
}

@test "a BOM before a quoted header (Excel's CSV UTF-8 quoting its cells) still finds the header" {
	printf '\357\273\277"姓名","身份证号码","住址"\r\n"张三","500241194503120018","城北社区, 3 号"\r\n' > bom.csv
	reach import bom.csv > out.ndjson
	[ "$(jq -r '[.name, .id, .addr] | @tsv' out.ndjson)" = \
	  "$(printf '张三\t500241194503120018\t城北社区, 3 号')" ]
}

@test "values are normalised: names, dates, Excel serials, money in exact yuan, sets" {
	reach import "$data/medical.csv" > out.ndjson
	[ "$(jq -r 'select(.med.bill == "JS0001") | [.name, .med.admit, .med.last, .med.total, .med.oop, (.med.diag | join("+"))] | @tsv' out.ndjson)" = \
	  "$(printf '张三\t2026-03-01\t2026-03-09\t12345.6\t4345.6\t肺癌+高血压')" ]
	# 46150 is an Excel serial day; 1.2万 is 12000; a leading apostrophe is Excel's text marker
	[ "$(jq -r 'select(.med.bill == "JS0003") | [.id, .med.last, .med.oop] | @tsv' out.ndjson)" = \
	  "$(printf '500241195207080028\t2026-05-08\t10000')" ]
	[ "$(jq -r 'select(.med.bill == "JS0002") | .med.total' out.ndjson)" = 12000 ]
}

@test "ID numbers are JSON strings, and sex and birth date come from a valid ID" {
	reach import "$data/medical.csv" > out.ndjson
	jq -e -s 'map(select(.id)) | all(.id | type == "string")' out.ndjson
	[ "$(jq -r 'select(.id == "500241194503120018") | .sex + " " + .birth' out.ndjson)" = "M 1945-03-12" ]
}

@test "an ID Excel turned into 5.00241E+17 is kept as id_raw with a warning, not guessed" {
	reach import "$data/medical.csv" > out.ndjson
	[ "$(jq -r 'select(.med.bill == "JS0002") | [.id // "none", .id_raw, .warn[0].code, .warn[0].field] | @tsv' out.ndjson)" = \
	  "$(printf 'none\t5.00241E+17\tid_excel_sci\tid')" ]
}

@test "a GB18030 file is read as GB18030, with a note that it was assumed" {
	reach import "$data/disability-gb18030.csv" > out.ndjson 2> err
	grep -q 'disability-gb18030.csv: not UTF-8; read as GB18030' err
	[ "$(jq -r '.name' out.ndjson | paste -sd,)" = "刘德华,阿依古丽·买买提,陈小明" ]
	[ "$(jq -r '.src' out.ndjson | sort -u)" = disability ]
}

@test "the profile is recognised from the headers; enumerations become codes" {
	reach import "$data/disability-gb18030.csv" > out.ndjson
	[ "$(jq -c 'select(.name == "阿依古丽·买买提") | .dis' out.ndjson)" = \
	  '{"kind":["vision","hearing"],"grade":2,"since":"2015-06-01","selfcare":"partial"}' ]
	# full-width digits in the ID are folded
	[ "$(jq -r 'select(.name == "陈小明") | .id' out.ndjson)" = 500241196011110058 ]
}

@test "--encoding utf-8 on a GB18030 file rejects its rows instead of guessing" {
	run reach import --encoding utf-8 "$data/disability-gb18030.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"no header row"* ]]
}

@test "quoted commas, quotes and newlines survive; line numbers count physical lines" {
	reach import "$data/hotline.csv" > out.ndjson
	[ "$(jq -r '.src_line' out.ndjson | paste -sd,)" = "2,3,5" ]
	[ "$(jq -r 'select(.hot.no == "GD2026001") | .hot.text' out.ndjson)" = '老伴去世,一个人住,"没钱看病"' ]
	jq -e -s 'map(select(.hot.no == "GD2026002"))[0].hot.text | contains("\n第二行说明")' out.ndjson
	[ "$(jq -r '.phone' out.ndjson | paste -sd,)" = "13823456789,023-76612345,13912345678" ]
	[ "$(jq -r '.hot.last' out.ndjson | paste -sd,)" = "2026-10-01,2026-10-02,2026-10-03" ]
}

@test "unreadable rows go to --rejects with file, line and raw text; nothing is lost" {
	run reach import --stats --rejects rej.ndjson -o out.ndjson "$data/death-bad.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"rows":4,"written":2,"warned":0,"rejected":2,"skipped":0'* ]]
	[[ "$output" == *"2 rows rejected, see rej.ndjson"* ]]
	[ "$(jq -r '[.src_line, .error] | @tsv' rej.ndjson)" = \
	  "$(printf '3\texpected 4 fields, found 3\n4\tinvalid UTF-8')" ]
	[ "$(jq -r 'select(.src_line == 3) | .raw' rej.ndjson)" = '吴二,500241195207080028,2026-09-02' ]
	[ "$(jq -s length out.ndjson)" = 2 ]
}

@test "without --rejects each unreadable row is named on stderr as file:line" {
	run reach import "$data/death-bad.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"death-bad.csv:3: expected 4 fields, found 3"* ]]
	[[ "$output" == *"death-bad.csv:4: invalid UTF-8"* ]]
}

@test "rows read = written + rejected + skipped, for every fixture" {
	for f in medical disability-gb18030 hotline death-bad header-only; do
		reach import -q --stats --rejects /dev/null "$data/$f.csv" > /dev/null 2> err || :
		jq -e '.rows == .written + .rejected + .skipped' err
	done
}

@test "stdin, '-' and a file name give the same records" {
	reach import "$data/hotline.csv" | jq -c 'del(.src_file)' > a
	reach import < "$data/hotline.csv" | jq -c 'del(.src_file)' > b
	reach import - < "$data/hotline.csv" | jq -c 'del(.src_file)' > c
	cmp a b && cmp a c
	[ "$(reach import < "$data/hotline.csv" | jq -r .src_file | sort -u)" = "-" ]
}

@test "a renamed .xlsx, an empty file and a missing file get clear errors and status 1" {
	run reach import "$data/workbook.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"workbook.csv: looks like an Excel workbook (.xlsx), not CSV"* ]]
	: > empty.csv
	run reach import empty.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"empty.csv: no data: the file is empty"* ]]
	run reach import nonexistent.csv "$data/hotline.csv"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot open 'nonexistent.csv': No such file or directory"* ]]
	# the other file was still read
	[[ "$output" == *'"hot":{"no":"GD2026003"'* ]]
}

@test "a header-only file gives no records and status 0" {
	run reach import --stats "$data/header-only.csv"
	[ "$status" -eq 0 ]
	[ "$output" = '{"rows":0,"written":0,"warned":0,"rejected":0,"skipped":0,"bad_files":0}' ]
}

@test "--profile names a built-in profile; a profile file and --map read other exports" {
	reach import --list-profiles > list
	for p in roster medical employment disability monitor applications hotline visit disaster death education person; do
		grep -q "^$p " list
	done
	printf '%s\n' '# a village survey' 'source survey' 'name! 户主 | 户主姓名' 'id 身份证' 'extra.area:int 住房面积' > survey.profile
	printf '%s\n' '户主,身份证,住房面积,备注' "张三,$(make_id 50024119450312001),45,危房" > survey.csv
	reach import --profile ./survey.profile --map '备注=note:text' survey.csv > out.ndjson
	[ "$(jq -c '[.src, .name, .extra.area, .note]' out.ndjson)" = '["survey","张三",45,"危房"]' ]
}

@test "columns no profile claims are kept under extra; unknown codes warn but keep the text" {
	printf '%s\n' '姓名,身份证号码,残疾类别,残疾等级,备注' "张三,$(make_id 50024119450312001),肢体,五级,新办证" > d.csv
	reach import d.csv > out.ndjson
	[ "$(jq -r '.extra["备注"]' out.ndjson)" = 新办证 ]
	[ "$(jq -r '.warn[] | select(.field == "dis.grade") | .code' out.ndjson)" = grade ]
	run reach import --profile nosuch d.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"no built-in profile 'nosuch'"* ]]
}

@test "--db loads the rows into a private SQLite file; importing again adds nothing" {
	reach import --stats --db county.db "$data/medical.csv" "$data/hotline.csv" > /dev/null 2> err1
	[ "$(stat -c %a county.db)" = 600 ]
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 6 ]
	[ "$(sqlite3 county.db 'pragma journal_mode')" = wal ]
	grep -q '"db_new":6,"db_dup":0' err1
	reach import --stats --db county.db "$data/medical.csv" "$data/hotline.csv" > /dev/null 2> err2
	grep -q '"db_new":0,"db_dup":6' err2
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 6 ]
	[ "$(sqlite3 county.db 'select count(*) from audit where command = "import"')" = 2 ]
	# the stored record is the one printed, and IDs are searchable
	[ "$(sqlite3 county.db "select json_extract(rec, '$.name') from rows where id = '500241194503120018'")" = 张三 ]
}

@test "the same rows in GB18030 and in UTF-8 are the same rows to the database" {
	iconv -f GB18030 -t UTF-8 "$data/disability-gb18030.csv" > utf8.csv
	reach import -q --db county.db "$data/disability-gb18030.csv" > /dev/null
	reach import --stats --db county.db utf8.csv > /dev/null 2> err
	grep -q '"db_new":0,"db_dup":3' err
}

@test "an import killed in the middle leaves the database as it was before that file" {
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	make_medical 400000 > big.csv
	reach import -q --db county.db big.csv > /dev/null &
	pid=$!
	# kill it once it is writing
	for i in $(seq 100); do
		[ -s county.db-wal ] && [ "$(stat -c %s county.db-wal)" -gt 2000000 ] && break
		sleep 0.05
	done
	kill -9 "$pid"
	wait "$pid" || :
	[ "$(sqlite3 county.db 'pragma integrity_check')" = ok ]
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 3 ]
	reach import -q --db county.db big.csv > /dev/null
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 400003 ]
}

@test "a closed pipe ends quietly with status 0" {
	make_medical 200000 > big.csv
	reach import big.csv 2> err | head -1 > first
	[ "${PIPESTATUS[0]}" -eq 0 ]
	[ ! -s err ]
	jq -e '.src == "medical"' first
}

@test "a write error (disk full) ends with a message and status 2" {
	run reach import "$data/medical.csv" -o /dev/full
	[ "$status" -eq 2 ]
	[[ "$output" == *"write error on /dev/full: No space left on device"* ]]
}

@test "usage errors exit 2 and say what is wrong" {
	run reach import --encoding latin9 x.csv
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown encoding 'latin9'"* ]]
	run reach import --as-of yesterday x.csv
	[ "$status" -eq 2 ]
	run reach nosuch
	[ "$status" -eq 2 ]
	[[ "$output" == *"'nosuch' is not a reach command"* ]]
}

@test "a required cell holding only '-' warns as missing; an empty list is no value" {
	printf '%s\n' '姓名,身份证号码,残疾类别,残疾等级' "张三,$(make_id 50024119450312001),、,-" > d.csv
	reach import --profile disability d.csv > out.ndjson
	[ "$(jq -c '[.dis, ([.warn[] | select(.code == "missing") | .field] | sort)]' out.ndjson)" = 'null,["dis.grade","dis.kind"]]' ] ||
	[ "$(jq -c '[.dis, ([.warn[] | select(.code == "missing") | .field] | sort)]' out.ndjson)" = '[null,["dis.grade","dis.kind"]]' ]
}

@test "--map into extra joins the unclaimed columns in one extra object" {
	printf '%s\n' '姓名,身份证号码,房屋面积,备注' "张三,$(make_id 50024119450312001),80,住院" > p.csv
	reach import --map '房屋面积=extra.area:int' p.csv > out.ndjson
	[ "$(jq -c .extra out.ndjson)" = '{"area":80,"备注":"住院"}' ]
}

@test "auto still picks the department profile when one of its required columns is missing" {
	printf '%s\n' '结算编号,参保人姓名,身份证号码,出院日期,医疗总费用' "JS1,张三,$(make_id 50024119450312001),2026-01-02,100" > m.csv
	reach import m.csv > out.ndjson 2> err
	[ "$(jq -r .src out.ndjson)" = medical ]
	grep -q "no column '个人自付'" err
}

@test "--since keeps rows dated on or after DATE; older ones are counted as skipped and old" {
	reach import --stats --since 2026-04-10 "$data/medical.csv" > out.ndjson 2> err
	[ "$(jq -r .med.bill out.ndjson | paste -sd,)" = "JS0002,JS0003" ]
	# rows = written + rejected + skipped still holds; "old" is the part of skipped
	grep -qx '{"rows":5,"written":2,"warned":1,"rejected":0,"skipped":3,"old":1,"bad_files":0}' err
	# any usual date form; a time of day in the cell (来电时间) is dropped
	reach import --since 2026/10/2 "$data/hotline.csv" > out.ndjson
	[ "$(jq -r .hot.last out.ndjson | paste -sd,)" = "2026-10-02,2026-10-03" ]
}

@test "--since keeps rows with no date, or a date that cannot be read, and lists of no dated source" {
	id=$(make_id 50024119450312001)
	printf '%s\n' '结算编号,参保人姓名,身份证号码,出院日期,个人自付' \
		"JS1,张三,$id,2020-01-02,100" "JS2,张三,$id,,200" "JS3,张三,$id,不详,300" \
		"JS4,张三,$id,2026-01-02,400" > m.csv
	reach import --since 2025-01-01 m.csv > out.ndjson
	[ "$(jq -r .med.bill out.ndjson | paste -sd,)" = "JS2,JS3,JS4" ]
	printf '%s\n' '姓名,身份证号码,登记日期' "张三,$id,2001-01-01" > p.csv
	reach import --profile person --since 2025-01-01 p.csv > out.ndjson
	[ "$(wc -l < out.ndjson)" -eq 1 ]
}

@test "--since with --db loads only the new rows" {
	reach import -q --db c.db --since 2026-05-01 --stats "$data/medical.csv" > /dev/null 2> err
	grep -q '"db_new":1,' err
	[ "$(sqlite3 c.db "SELECT count(*) FROM rows WHERE src = 'medical'")" -eq 1 ]
	# the whole file later: the new row is not loaded twice
	reach import -q --db c.db "$data/medical.csv" > /dev/null
	[ "$(sqlite3 c.db "SELECT count(*) FROM rows WHERE src = 'medical'")" -eq 3 ]
}

@test "a quoted cell longer than a batch, and quotes read as text, come out the same on any number of threads" {
	# a 备注 of 30000 lines: the file is read ahead in pieces, each
	# parsed on a thread of its own, and some piece must begin inside
	# that cell; "ab"cd leaves libcsv inside a quoted cell at line ends
	make_medical 20000 | awk -F, -v OFS=, '
	    NR == 1 { print $0, "备注"; next }
	    NR == 9000 { printf "%s,\"", $0; for (k = 0; k < 30000; k++)
		printf "第%d行\n", k; print "完\""; next }
	    NR % 4001 == 0 { print $0, "\"ab\"cd"; next }
	    { print $0, "" }' > long.csv
	for t in 1 3; do
		REACH_THREADS=$t reach import -q --stats --rejects rej$t.ndjson \
		    long.csv > out$t.ndjson 2> stats$t || [ $? -eq 1 ]
	done
	cmp out1.ndjson out3.ndjson
	cmp rej1.ndjson rej3.ndjson
	cmp stats1 stats3
	[ "$(jq -r 'select(.med.bill == "JS0008999") | .extra["备注"] |
	    split("\n") | length' out1.ndjson)" -eq 30001 ]
	# lines after it are physical lines of the file
	[ "$(jq -r 'select(.med.bill == "JS0009000") | .src_line' out1.ndjson)" -eq 39001 ]
	[ "$(sed -n 39001p long.csv | cut -d, -f1)" = JS0009000 ]
}

@test "--since with a date that is not one is a usage error" {
	run reach import --since 2026-13-01 "$data/medical.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--since '2026-13-01'"* ]]
}

@test "rows converted on several threads come out as on one: same records, rejects, counts, database" {
	# some batches' worth, in GB18030, with rows that are skipped,
	# rejected and warned about here and there among them
	make_medical 30000 | awk 'NR % 997 == 0 { print "合计,,,,,,,,1,1,1,1,1" }
	    NR % 1499 == 0 { print "bad,row" } NR % 2003 == 0 { print ",,,,,,,,,,,," }
	    { print }' | sed '5000s/2026-03-09/2026-13-09/' |
	    iconv -f UTF-8 -t GB18030 > big.csv
	for t in 1 3; do
		REACH_THREADS=$t reach import -q --stats --rejects rej$t.ndjson \
		    --db t$t.db big.csv > out$t.ndjson 2> stats$t || [ $? -eq 1 ]
	done
	[ "$(wc -l < out1.ndjson)" -gt 29000 ]
	cmp out1.ndjson out3.ndjson
	cmp rej1.ndjson rej3.ndjson
	cmp stats1 stats3
	[ "$(jq -s 'length' rej1.ndjson)" -eq 20 ]
	grep -q '"rows":30064,"written":30000,"warned":30000,"rejected":20,"skipped":44' stats1
	[ "$(jq -c 'select(.med.bill == "JS0004989") | [.warn[].code]' out1.ndjson)" = '["name","missing","date"]' ]
	[ "$(sqlite3 t1.db 'select count(*), sum(line) from rows')" = \
	  "$(sqlite3 t3.db 'select count(*), sum(line) from rows')" ]
}
