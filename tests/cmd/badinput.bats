#!/usr/bin/env bats
# The catalogue of bad input: what departments and people will send.
# Nothing here may crash reach (status 134 or 139, a sanitizer report):
# a bad line or row is named as file:line and the rest goes on.
load helper

suite="$top/../shared/testdata/jsontestsuite/test_parsing"

# Under valgrind (make check VALGRIND=1) a run costs seconds, not
# milliseconds: the loops over the suite take every 8th file, and the
# test that reads them all in one run covers the rest.
every=1
[ -z "$REACH_VALGRIND" ] || every=8

# The files of the suite starting with $1, every $every-th of them.
cases() {
	ls "$suite/$1"*.json | awk -v k="$every" 'NR % k == 1 || k == 1'
}

# Nothing but white space: an NDJSON stream of no records.
blank() {
	! LC_ALL=C grep -q '[^[:space:]]' "$1"
}

# reach CMD on a file; status 1 and a message naming the file and a line.
says_where() {
	local cmd=$1 f=$2 name=${2##*/}
	run reach $cmd --as-of 2026-10-31 "$f"
	if [ "$status" -ne 1 ] || [[ "$output" != *"$name:"[0-9]*": "* ]]; then
		echo "reach $cmd $name: status $status: $output" >&2
		return 1
	fi
}

@test "every JSON that JSONTestSuite says is not JSON is refused by match and flag with file:line" {
	[ -d "$suite" ] || skip "no $suite"
	n=0
	for f in $(cases n_); do
		# nothing but blank lines is an empty NDJSON stream: no records,
		# no error (n_single_space, n_structure_no_data)
		if blank "$f"; then
			run reach match "$f"
			[ "$status" -eq 0 ]
			[ -z "$output" ]
			run reach flag "$f"
			[ "$status" -eq 0 ]
			[ -z "$output" ]
			continue
		fi
		says_where match "$f"
		says_where flag "$f"
		n=$((n + 1))
	done
	[ "$n" -ge $((180 / every)) ]
}

@test "all of them in one run with --rejects: each file named once per bad line, the run goes on to the end" {
	[ -d "$suite" ] || skip "no $suite"
	for cmd in match flag; do
		run reach $cmd --as-of 2026-10-31 --rejects rej.ndjson "$suite"/n_*.json
		[ "$status" -eq 1 ]
		# every file with something in it has at least one line rejected
		for f in "$suite"/n_*.json; do
			blank "$f" && continue
			echo "${f##*/}"
		done | sort > want
		jq -r '.src_file | sub(".*/"; "")' rej.ndjson | sort -u > got
		diff want got
		# and each says why (file and line are fields of their own)
		jq -r '.src_line as $l | select(.error | test("^(.*json:\($l): )?(invalid JSON|expected a JSON object)") | not) | .error' rej.ndjson > bad
		[ ! -s bad ] || { cut -c1-200 bad | head -3 >&2; false; }
	done
}

@test "a file with a newline inside is several NDJSON lines, and the bad one is named" {
	printf '{"hid":"a",\n"size":1}\n' > two.ndjson
	run reach flag two.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"two.ndjson:1: invalid JSON"* ]]
	# with --rejects the run goes on, and both lines are there
	run reach flag --rejects rej.ndjson two.ndjson
	[ "$status" -eq 1 ]
	[ "$(jq -c '[.src_line, .raw]' rej.ndjson | paste -sd'|')" = '[1,"{\"hid\":\"a\","]|[2,"\"size\":1}"]' ]
}

@test "JSON that is JSON is never called invalid; what is not an object is named as such" {
	[ -d "$suite" ] || skip "no $suite"
	for f in $(cases y_); do
		# one line: a newline between tokens is a space to JSON
		tr '\n' ' ' < "$f" > "${f##*/}"
		run reach flag "${f##*/}"
		[ "$status" -le 1 ] || { echo "$f: $status" >&2; false; }
		[[ "$output" != *"invalid JSON"* ]] || { echo "$f: $output" >&2; false; }
	done
	cp "$suite/y_array_empty.json" "$suite/y_object_basic.json" .
	run reach flag y_array_empty.json
	[[ "$output" == *"y_array_empty.json:1: expected a JSON object, found array"* ]]
	run reach flag y_object_basic.json
	[ "$status" -eq 0 ]
}

@test "JSON the standard leaves open is taken or refused, never a crash" {
	[ -d "$suite" ] || skip "no $suite"
	for f in $(cases i_); do
		run reach match "$f"
		[ "$status" -le 1 ] || { echo "$f: $status" >&2; false; }
	done
}

@test "a string after a value with no separator is refused (libjq 1.6 would leak it)" {
	printf '{"a":"b" "c"}\n["x""y"]\n{"ok":"\\" , \\"","n":[1,"2"]}\n' > sep.ndjson
	run reach flag sep.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"sep.ndjson:1: invalid JSON: Expected separator between values at column 10"* ]]
	run reach flag --rejects rej.ndjson sep.ndjson
	[ "$(jq -c '[.src_line, .error]' rej.ndjson | paste -sd'|')" = \
	    '[1,"invalid JSON: Expected separator between values at column 10"]|[2,"invalid JSON: Expected separator between values at column 5"]' ]
	[[ "$output" == *'"ok":"\" , \""'* ]]
}

@test "a NUL byte in a line is named, and the next line is read" {
	printf '{"hid":"a"}\0{"hid":"b"}\n{"hid":"c"}\n' > nul.ndjson
	run reach flag nul.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"nul.ndjson:1: invalid JSON: a NUL byte at column 12"* ]]
	run reach flag --rejects rej.ndjson nul.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *'"hid":"c"'* ]]
}

@test "a file cut off in the middle of a line: the lines before it are read" {
	head -c -40 "$data/flag/households.ndjson" > cut.ndjson
	whole=$(wc -l < cut.ndjson)
	run reach flag --as-of 2026-10-31 cut.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"cut.ndjson:$((whole + 1)): invalid JSON: Unfinished string at EOF"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^{"hid"')" -eq "$whole" ]
}

# csv-spectrum's cases, through the person profile; extra keeps the rest.
spectrum() {
	printf '%s' "$1" > s.csv
	reach import --profile person s.csv
}

@test "csv-spectrum: commas and escaped quotes inside quotes, JSON in a cell" {
	out=$(spectrum $'姓名,身份证号码,备注\n"张,三",,"他说""好"""\n李四,,"{""a"": [1, 2]}"\n')
	[ "$(jq -r '.name' <<< "$out" | paste -sd'|')" = '张,三|李四' ]
	[ "$(jq -r '.extra["备注"]' <<< "$out" | paste -sd'|')" = '他说"好"|{"a": [1, 2]}' ]
}

@test "csv-spectrum: empty fields, quoted and not, with LF and with CRLF" {
	for eol in $'\n' $'\r\n'; do
		out=$(spectrum "姓名,身份证号码,联系电话,备注${eol}王五,,,\"\"${eol}赵六,\"\",\"\",${eol}")
		[ "$(jq -c '[.name, .phone, .extra]' <<< "$out" | paste -sd'|')" = \
		    '["王五",null,null]|["赵六",null,null]' ]
	done
}

@test "csv-spectrum: newlines inside quotes, LF and CRLF; line numbers count physical lines" {
	out=$(spectrum $'姓名,身份证号码,备注\n"张三",,"一\n二"\n李四,,x\n')
	[ "$(jq -c '[.src_line, .extra["备注"]]' <<< "$out" | paste -sd'|')" = '[2,"一\n二"]|[4,"x"]' ]
	out=$(spectrum $'姓名,身份证号码,备注\r\n"张三",,"一\r\n二"\r\n李四,,x\r\n')
	[ "$(jq -c '[.src_line, .extra["备注"]]' <<< "$out" | paste -sd'|')" = '[2,"一\r\n二"]|[4,"x"]' ]
}

@test "csv-spectrum: UTF-8 in headers and cells, with and without a BOM" {
	for bom in '' $'\xef\xbb\xbf'; do
		out=$(spectrum "${bom}姓名,身份证号,住房面积（㎡）,Ünïcödé"$'\n'"𠮷野家,,45,ça"$'\n')
		[ "$(jq -c '[.name, .extra]' <<< "$out")" = '["𠮷野家",{"住房面积（㎡）":"45","Ünïcödé":"ça"}]' ]
	done
}

@test "a file cut off inside a quoted cell: its last row is rejected as cut short" {
	printf '姓名,身份证号码,备注\n张三,,好\n李四,,"没写完\n' > cut.csv
	run reach import --profile person cut.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"cut.csv:3: the file ends inside a quoted cell: cut short?"* ]]
	[[ "$output" == *'"name":"张三"'* ]]
}

@test "a file cut off inside a UTF-8 character: that row is rejected, not mangled" {
	printf '姓名,身份证号码,备注\n张三,,好\n李四,,\xe5\xa5' > cut.csv
	run reach import --profile person cut.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"cut.csv:3: invalid UTF-8"* ]]
	[[ "$output" == *'"name":"张三"'* ]]
}

@test "a NUL byte costs its row only" {
	printf '姓名,身份证号码,备注\n张三,,a\0b\n李四,,c\n' > nul.csv
	run reach import --profile person nul.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nul.csv:2: NUL byte in the row"* ]]
	[[ "$output" == *'"name":"李四"'* ]]
}

@test "a 1 MB cell is kept whole, and the rows around it too" {
	{
		printf '姓名,身份证号码,备注\n张三,,'
		head -c 1048576 /dev/zero | tr '\0' x
		printf '\n李四,,y\n'
	} > big.csv
	reach import --profile person big.csv > out.ndjson
	[ "$(jq -c '[.name, (.extra["备注"] | length)]' out.ndjson | paste -sd'|')" = \
	    '["张三",1048576]|["李四",1]' ]
}

@test "an empty file, a header-only file and a workbook renamed .csv" {
	: > empty.csv
	run reach import empty.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"empty.csv: no data: the file is empty"* ]]
	printf '姓名,身份证号码\n' > header.csv
	run reach import --stats header.csv
	[ "$status" -eq 0 ]
	[[ "$output" == *'"written":0'* ]]
	printf 'PK\003\004\024\000\006\000rest of a zip' > 名单.csv
	run reach import 名单.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"名单.csv: looks like an Excel workbook (.xlsx), not CSV: save it as CSV (UTF-8) first"* ]]
}

@test "other files that are no CSV text: an old .xls, UTF-16, a gzip" {
	printf '\320\317\021\340\241\261\032\341more' > old.csv
	printf '\377\376\223\137\011\116' > utf16.csv
	printf '姓名,身份证号码\n张三,\n' | gzip -c > gz.csv
	run reach import old.csv
	[[ "$output" == *"old.csv: looks like an old Excel workbook (.xls)"* ]]
	run reach import utf16.csv
	[[ "$output" == *"utf16.csv: is UTF-16 text"* ]]
	run reach import gz.csv
	[ "$status" -eq 1 ]
	[[ "$output" == *"gz.csv: looks like a binary file, not CSV text"* ]]
}

@test "random bytes as CSV or NDJSON: an error or nothing, never a crash" {
	for i in 1 2 3 4 5; do
		head -c 20000 /dev/urandom > r.csv
		run reach import r.csv
		[ "$status" -le 1 ] || { base64 r.csv >&2; false; }
		run reach flag r.csv
		[ "$status" -le 1 ]
		run reach match r.csv
		[ "$status" -le 1 ]
	done
}
