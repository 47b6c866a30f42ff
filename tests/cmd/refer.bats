#!/usr/bin/env bats
# reach refer: push flagged households to the office that must act, and
# follow each case to its end in the ledger.

load helper

hh="$data/refer/households.ndjson"

# Every test has its own ledger and a fixed reference day (a Friday).
refer() {
	reach refer --db ledger.db --as-of 2026-10-09 "$@"
}

q() {
	sqlite3 ledger.db "$1"
}

# n flagged households, one red in seven; prefix p for the hid.
make_households() {
	awk -v n="$1" -v p="${2:-H}" 'BEGIN {
		split("龙池镇 隘口镇 清溪场街道 宋农镇", t, " ")
		for (i = 1; i <= n; i++)
			printf "{\"hid\":\"%s%07d\",\"town\":\"%s\",\"members\":[{\"pid\":\"P%07d\",\"name\":\"户主%d\",\"rel\":\"head\"}],\"flags\":[{\"rule\":\"dibao_income\",\"level\":\"%s\",\"group\":\"dibao\",\"why\":\"月人均收入%d元\"}]}\n", p, i, t[i % 4 + 1], i, i, i % 7 ? "orange" : "red", 300 + i % 300
	}'
}

# one household of the fixture, changed by a jq program
household() {
	jq -c --arg h "$1" "select(.hid == \$h) | ${2:-.}" "$hh"
}

@test "each flag goes to its programme and township office, following the notice" {
	refer "$hh" > out.ndjson
	jq -r '[.hid, (.to | join(",")), .urgent, ((.mode // []) | join(",")), .office] | @tsv' out.ndjson > got.tsv
	diff -u "$data/refer/routes.tsv" got.tsv
	# the installed routes file is the built-in one
	rm -f ledger.db*
	refer --routes "$top/share/reach/routes/default.routes" "$hh" > again.ndjson
	cmp out.ndjson again.ndjson
}

@test "every rule of reach flag's default rules has its route; a new rule takes the default" {
	# rule, group, level -> programmes, urgent (tests/data/refer/default-rules.tsv)
	jq -c -R 'split("\t") | {hid: .[0], town: "龙池镇", flags: [{rule: .[0], group: .[1], level: .[2], why: "…"}]}' \
	    "$data/refer/default-rules.tsv" > in.ndjson
	refer in.ndjson > out.ndjson
	jq -r '[.hid, (.flags[0] | .group, .level), (.to | join(",")), .urgent] | @tsv' out.ndjson > got.tsv
	diff -u "$data/refer/default-rules.tsv" got.tsv
}

@test "urgent cases are due in 24 hours; others in 10 working days, weekends skipped" {
	refer "$hh" > out.ndjson
	[ "$(jq -r 'select(.urgent) | .due' out.ndjson | sort -u)" = 2026-10-10 ]
	[ "$(jq -r 'select(.urgent | not) | .due' out.ndjson | sort -u)" = 2026-10-23 ]
	# both are parameters of the routes file
	{ sed '/^set urgent_hours/d; /^set due_days/d' "$top/share/reach/routes/default.routes"
	  printf 'set urgent_hours 48\nset due_days 3\n'; } > my.routes
	reach refer --db other.db --as-of 2026-10-09 --routes my.routes "$hh" > out2.ndjson
	[ "$(jq -r 'select(.urgent) | .due' out2.ndjson | sort -u)" = 2026-10-11 ]
	[ "$(jq -r 'select(.urgent | not) | .due' out2.ndjson | sort -u)" = 2026-10-14 ]
}

@test "referrals follow records.md; households without flags get none" {
	refer "$hh" > out.ndjson
	[ "$(jq -s length out.ndjson)" = 13 ]
	! grep -q 'H2026-000012\|H2026-000013' out.ndjson
	[ "$(jq -r 'select(.hid == "H2026-000001") | [.ref, .status, .risk, .pushed, .event] | @tsv' out.ndjson)" = \
	  "$(printf 'R2026-000001\tpushed\torange\t2026-10-09\tpushed')" ]
	[ "$(head -1 out.ndjson | jq -c 'keys_unsorted[:8]')" = \
	  '["ref","hid","town","village","office","to","urgent","risk"]' ]
	jq -e -s 'all(.ref | test("^R2026-[0-9]{6}$"))' out.ndjson
	# the flags travel whole; members carry what an office needs to find
	# them, not their health or disability details
	[ "$(jq -c 'select(.hid == "H2026-000001") | .flags[0] | [.rule, .level, .group]' out.ndjson)" = '["tekun","orange","tekun"]' ]
	[ "$(jq -c 'select(.hid == "H2026-000001") | .members[0] | keys' out.ndjson)" = \
	  '["addr","age","id","name","phone","pid","rel","sex"]' ]
	[ "$(jq -c 'select(.hid == "H2026-000003") | .members[0].death' out.ndjson)" = '{"date":"2026-09-30"}' ]
}

@test "the ledger holds referrals, their events and an audit row; the file is private" {
	refer --by 张科长 "$hh" > out.ndjson
	[ "$(q "select count(*), count(distinct hid), sum(status = 'pushed') from referrals")" = "13|13|13" ]
	[ "$(q "select count(*) from referral_events where kind = 'pushed' and who = '张科长' and day = '2026-10-09'")" = 13 ]
	[ "$(q "select who, command, rows from audit")" = "张科长|refer|13" ]
	[ "$(q "select programmes, urgent, due, office from referrals where hid = 'H2026-000004'")" = \
	  '["linshi","medical_aid","housing_aid","coord"]|1|2026-10-10|隘口镇民政办' ]
	[ "$(stat -c %a ledger.db)" = 600 ]
	# without --by, the login name
	LOGNAME=wang refer update R2026-000001 --status contacted --willing yes --able yes > /dev/null
	[ "$(q "select who from audit order by audit_id desc limit 1")" = wang ]
}

@test "the same household is never pushed twice: a second run writes nothing" {
	refer "$hh" > first.ndjson
	refer --stats "$hh" > second.ndjson 2> err
	[ ! -s second.ndjson ]
	grep -q '"pushed":0,"flags_added":0,"escalated":0,"unchanged":13' err
	[ "$(q "select count(*) from referrals; select count(*) from referral_events; select count(*) from audit")" = "$(printf '13\n13\n1')" ]
	# twice in one input, too
	cat "$hh" "$hh" > twice.ndjson
	reach refer --db other.db --as-of 2026-10-09 twice.ndjson > out.ndjson
	[ "$(jq -s length out.ndjson)" = 13 ]
}

@test "new flags on an open case become an event; more serious ones raise its urgency" {
	refer "$hh" > /dev/null
	# a yellow case gets a yellow hotline call: added, not escalated (its
	# visit is part of the education aid case: no "assess")
	household H2026-000007 '.flags += [{"rule":"hotline_help","level":"yellow","group":"hotline","why":"热线求助"}]' > more.ndjson
	# an orange case gets a red sudden illness: escalated, due tomorrow
	household H2026-000001 '.flags += [{"rule":"sudden_illness","level":"red","group":"sudden","why":"突发重病住院"}]' >> more.ndjson
	reach refer --db ledger.db --as-of 2026-10-12 --stats more.ndjson > out.ndjson 2> err
	grep -q '"pushed":0,"flags_added":1,"escalated":1' err
	[ "$(jq -r '[.ref, .event, .urgent, .risk, .due, (.to | join(",")), (.flags | length)] | @tsv' out.ndjson)" = \
	  "$(printf 'R2026-000007\tflags\tfalse\tyellow\t2026-10-23\teducation_aid\t2\nR2026-000001\tescalated\ttrue\tred\t2026-10-13\ttekun,medical_aid,linshi,coord\t2')" ]
	[ "$(q "select kind, json_extract(detail, '\$.flags[0].rule'), json_extract(detail, '\$.due') from referral_events where ref = 'R2026-000001' order by event_id")" = \
	  "$(printf 'pushed||\nescalated|sudden_illness|2026-10-13')" ]
	# still one referral per household
	[ "$(q "select count(*) from referrals")" = 13 ]
	# the same flags again: nothing more
	reach refer --db ledger.db --as-of 2026-10-13 more.ndjson > again.ndjson
	[ ! -s again.ndjson ]
}

close_case() {	# ref day
	reach refer --db ledger.db --as-of "$2" update "$1" --status contacted --willing no --able yes > /dev/null &&
	reach refer --db ledger.db --as-of "$2" update "$1" --status declined > /dev/null &&
	reach refer --db ledger.db --as-of "$2" update "$1" --status closed > /dev/null
}

@test "a case closed less than --cooldown days ago is left alone unless a new red flag appears" {
	household H2026-000009 > one.ndjson
	refer one.ndjson > /dev/null
	close_case R2026-000001 2026-10-12
	reach refer --db ledger.db --as-of 2026-11-01 --stats one.ndjson > out.ndjson 2> err
	[ ! -s out.ndjson ]
	grep -q '"cooldown":1' err
	# a new flag that is not red: still left alone
	household H2026-000009 '.flags += [{"rule":"hotline_help","level":"orange","group":"hotline","why":"热线"}]' > orange.ndjson
	reach refer --db ledger.db --as-of 2026-11-01 orange.ndjson > out.ndjson
	[ ! -s out.ndjson ]
	# a red flag the closed case did not have: a new referral
	household H2026-000009 '.flags += [{"rule":"sudden_illness","level":"red","group":"sudden","why":"突发重病"}]' > red.ndjson
	reach refer --db ledger.db --as-of 2026-11-01 red.ndjson > out.ndjson
	[ "$(jq -r '[.ref, .urgent, (.to | join(","))] | @tsv' out.ndjson)" = "$(printf 'R2026-000002\ttrue\tlinshi,employment_aid,coord')" ]
	[ "$(q "select json_extract(detail, '\$.after'), json_extract(detail, '\$.new_red[0].rule') from referral_events where ref = 'R2026-000002'")" = \
	  "R2026-000001|sudden_illness" ]
}

@test "the cooldown ends after --cooldown days (default 90); --cooldown 0 has none" {
	household H2026-000009 > one.ndjson
	refer one.ndjson > /dev/null
	close_case R2026-000001 2026-10-12
	reach refer --db ledger.db --as-of 2027-01-09 one.ndjson > out.ndjson
	[ ! -s out.ndjson ]
	reach refer --db ledger.db --as-of 2027-01-10 one.ndjson > out.ndjson
	[ "$(jq -r .ref out.ndjson)" = R2027-000001 ]
	close_case R2027-000001 2027-01-11
	reach refer --db ledger.db --as-of 2027-01-12 --cooldown 30 one.ndjson > out.ndjson
	[ ! -s out.ndjson ]
	reach refer --db ledger.db --as-of 2027-01-12 --cooldown 0 one.ndjson > out.ndjson
	[ "$(jq -r .ref out.ndjson)" = R2027-000002 ]
}

step() {	# ref status [options]
	local ref=$1 st=$2
	shift 2
	refer update "$ref" --status "$st" "$@" > step.ndjson &&
	[ "$(jq -r .status step.ndjson)" = "$st" ]
}

@test "every step of the life of a case; declined is an outcome like any other" {
	refer "$hh" > /dev/null
	step R2026-000001 contacted --willing yes --able no --note 需要协助申请
	[ "$(jq -c '[.willing, .able, .event]' step.ndjson)" = '[true,false,"status"]' ]
	step R2026-000001 applying
	step R2026-000001 aided
	step R2026-000001 closed
	[ "$(jq -c '[.closed, .outcome]' step.ndjson)" = '["2026-10-09","aided"]' ]
	step R2026-000002 contacted --willing no --able yes
	step R2026-000002 declined
	step R2026-000002 closed
	[ "$(jq -r .outcome step.ndjson)" = declined ]
	step R2026-000003 contacted --willing yes --able yes
	step R2026-000003 aided
	step R2026-000004 contacted --willing yes --able yes
	step R2026-000004 applying
	step R2026-000004 declined
	step R2026-000005 contacted --willing yes --able yes
	step R2026-000005 applying
	step R2026-000005 closed
	[ "$(jq -r .outcome step.ndjson)" = applying ]
	[ "$(q "select coalesce(status_from, '') || '>' || status_to from referral_events where ref = 'R2026-000001' order by event_id" | paste -sd' ')" = \
	  ">pushed pushed>contacted contacted>applying applying>aided aided>closed" ]
	[ "$(q "select json_extract(detail, '\$.note') from referral_events where status_to = 'contacted' and ref = 'R2026-000001'")" = 需要协助申请 ]
	# a note alone is an event, not a step
	refer update R2026-000003 --note 已发放临时救助金 > note.ndjson
	[ "$(jq -r '[.status, .event] | @tsv' note.ndjson)" = "$(printf 'aided\tnote')" ]
	[ "$(q "select count(*) from audit where command = 'refer update'")" = 16 ]
}

@test "an invalid step is refused with a message naming the ref and both states" {
	refer "$hh" > /dev/null
	run refer update R2026-000001 --status aided
	[ "$status" -eq 1 ]
	[ "$output" = "reach refer: R2026-000001: cannot go from 'pushed' to 'aided': a 'pushed' case goes next to contacted" ]
	run refer update R2026-000001 --status contacted
	[ "$status" -eq 1 ]
	[[ "$output" == *"R2026-000001: 'contacted' needs what the family said: --willing yes|no and --able yes|no"* ]]
	refer update R2026-000001 --status contacted --willing no --able yes > /dev/null
	run refer update R2026-000001 --status applying
	[ "$status" -eq 1 ]
	[[ "$output" == *"R2026-000001: the family said it does not want help (willing: no)"* ]]
	run refer update R2026-000001 --status closed
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot go from 'contacted' to 'closed': a 'contacted' case goes next to applying, aided or declined"* ]]
	refer update R2026-000001 --status declined > /dev/null
	refer update R2026-000001 --status closed > /dev/null
	run refer update R2026-000001 --status contacted --willing yes --able yes
	[ "$status" -eq 1 ]
	[[ "$output" == *"R2026-000001: cannot go from 'closed' to 'contacted': the case is closed"* ]]
	run refer update R2099-000001 --status contacted --willing yes --able yes
	[ "$status" -eq 1 ]
	[[ "$output" == *"no referral 'R2099-000001'"* ]]
	# a refused step writes nothing
	[ "$(q "select count(*) from audit where command = 'refer update'")" = 3 ]
	# the same step twice changes nothing and is no error
	run refer update R2026-000002 --status contacted --willing yes --able yes
	run refer update R2026-000002 --status contacted --willing yes --able yes
	[ "$status" -eq 0 ]
	[[ "$output" == *"R2026-000002: already 'contacted'; nothing changed"* ]]
}

@test "update --from applies a township's file; a refused line is named and the rest apply" {
	refer "$hh" > /dev/null
	cat > steps.ndjson <<-'EOF'
	{"ref":"R2026-000001","status":"contacted","willing":"yes","able":false,"by":"龙池镇民政办李","note":"愿意申请"}
	{"ref":"R2026-000002","status":"aided"}
	not json
	{"ref":"R2026-000003","status":"contacted","willing":true,"able":true}
	{"ref":"R2026-000004","status":"contacted","willing":"maybe","able":true}
	EOF
	run refer update --from steps.ndjson --by 县民政局
	[ "$status" -eq 1 ]
	[[ "$output" == *"steps.ndjson:2: R2026-000002: cannot go from 'pushed' to 'aided'"* ]]
	[[ "$output" == *"steps.ndjson:3: invalid JSON"* ]]
	[[ "$output" == *'steps.ndjson:5: "willing": expected true, false, "yes" or "no"'* ]]
	[ "$(q "select ref, status, willing, able from referrals where status <> 'pushed' order by ref")" = \
	  "$(printf 'R2026-000001|contacted|1|0\nR2026-000003|contacted|1|1')" ]
	[ "$(q "select ref, who from referral_events where kind = 'status' order by ref")" = \
	  "$(printf 'R2026-000001|龙池镇民政办李\nR2026-000003|县民政局')" ]
	[ "$(q "select who, rows from audit where command = 'refer update'")" = "县民政局|2" ]
}

@test "list shows the cases: --open, --overdue (still pushed after the due date), --town" {
	refer "$hh" > /dev/null
	refer update R2026-000001 --status contacted --willing yes --able yes > /dev/null
	refer list > all.ndjson
	[ "$(jq -s length all.ndjson)" = 13 ]
	reach refer --db ledger.db --as-of 2026-10-12 list --overdue > late.ndjson
	# the urgent ones were due 2026-10-10
	[ "$(jq -r .ref late.ndjson | paste -sd,)" = "R2026-000003,R2026-000004,R2026-000011" ]
	jq -e -s 'all(.overdue)' late.ndjson
	reach refer --db ledger.db --as-of 2026-10-26 list --overdue --town 龙池镇 > late.ndjson
	# R2026-000001 was contacted in time
	[ "$(jq -r .ref late.ndjson | paste -sd,)" = "R2026-000002,R2026-000007,R2026-000008,R2026-000009,R2026-000010,R2026-000011" ]
	refer update R2026-000001 --status declined > /dev/null
	refer update R2026-000001 --status closed > /dev/null
	refer list --open > open.ndjson
	[ "$(jq -s length open.ndjson)" = 12 ]
	! grep -q R2026-000001 open.ndjson
}

@test "--dry-run shows what would be pushed and writes nothing" {
	household H2026-000001 > one.ndjson
	refer one.ndjson > /dev/null
	before=$(q "select count(*) from referrals; select count(*) from referral_events; select count(*) from audit; select * from referral_seq")
	refer --dry-run --stats "$hh" > dry.ndjson 2> err
	grep -q '"pushed":12,.*"unchanged":1,.*"dry_run":true' err
	[ "$(q "select count(*) from referrals; select count(*) from referral_events; select count(*) from audit; select * from referral_seq")" = "$before" ]
	refer "$hh" > real.ndjson
	cmp dry.ndjson real.ndjson
	# nor does it create a database
	run reach refer --db none.db --dry-run "$hh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"no database 'none.db'"* ]]
	[ ! -e none.db ]
}

@test "two runs at once on the same database make no duplicate and no error" {
	make_households 2000 > many.ndjson
	refer < /dev/null	# the database exists, as after reach import
	refer many.ndjson > a.ndjson 2> a.err & a=$!
	refer many.ndjson > b.ndjson 2> b.err & b=$!
	wait $a
	wait $b
	[ ! -s a.err ] && [ ! -s b.err ]
	[ "$(cat a.ndjson b.ndjson | jq -r .hid | sort | uniq -d | wc -l)" = 0 ]
	[ "$(cat a.ndjson b.ndjson | wc -l)" = 2000 ]
	[ "$(q "select count(*), count(distinct hid), count(distinct ref), max(ref) from referrals")" = "2000|2000|2000|R2026-002000" ]
}

@test "a run killed in the middle leaves no half-written referral" {
	make_households 30000 > many.ndjson
	# reach itself, not a function's subshell, is what must die
	reach refer --db ledger.db --as-of 2026-10-09 many.ndjson > /dev/null 2>&1 & pid=$!
	n=0
	for i in $(seq 500); do
		n=$(q "select count(*) from referrals" 2> /dev/null || echo 0)
		[ "${n:-0}" -gt 0 ] && break
		sleep 0.01
	done
	kill -9 $pid
	wait $pid || :
	[ "$(q "pragma integrity_check")" = ok ]
	n=$(q "select count(*) from referrals")
	[ "$n" -gt 0 ] && [ "$n" -lt 30000 ]
	# whole batches only: each referral with its event, its audit row, valid JSON
	[ $((n % 256)) -eq 0 ]
	[ "$(q "select count(*) from referral_events where kind = 'pushed'")" = "$n" ]
	[ "$(q "select sum(rows) from audit")" = "$n" ]
	[ "$(q "select count(*) from referrals where json_valid(flags) and json_valid(members) and json_valid(programmes)")" = "$n" ]
	[ "$(q "select last from referral_seq")" = "$n" ]
	# the next run finishes the job
	refer --stats many.ndjson > /dev/null 2> err
	grep -q "\"pushed\":$((30000 - n)),.*\"unchanged\":$n" err
	[ "$(q "select count(*), count(distinct hid) from referrals")" = "30000|30000" ]
}

@test "a routes file of one's own matches on rule ids and on groups; unknown rules take the default" {
	cat > my.routes <<-'EOF'
	# a township's own routing
	set office {town}社会事务办
	prog dibao 民政 最低生活保障
	prog medical_aid 医保 医疗救助
	prog assess 民政 入户核查
	route rule=my_rule -> dibao
	route group=my_group level=red,orange -> medical_aid urgent
	default -> assess
	prefer dibao,medical_aid over assess
	EOF
	printf '%s\n' \
	  '{"hid":"A","town":"甲镇","flags":[{"rule":"my_rule","level":"yellow","group":"my_group"}]}' \
	  '{"hid":"B","town":"甲镇","flags":[{"rule":"other","level":"orange","group":"my_group"}]}' \
	  '{"hid":"C","town":"甲镇","flags":[{"rule":"other","level":"yellow","group":"my_group"}]}' \
	  '{"hid":"D","flags":[{"rule":"x"}]}' \
	  '{"hid":"E","town":"甲镇","flags":[{"rule":"x"},{"rule":"my_rule"}]}' > in.ndjson
	refer --routes my.routes in.ndjson > out.ndjson
	[ "$(jq -r '[.hid, (.to | join(",")), .urgent, .office] | @tsv' out.ndjson)" = \
	  "$(printf 'A\tdibao\tfalse\t甲镇社会事务办\nB\tmedical_aid\ttrue\t甲镇社会事务办\nC\tassess\tfalse\t甲镇社会事务办\nD\tassess\tfalse\t县民政局\nE\tdibao\tfalse\t甲镇社会事务办')" ]
}

@test "a bad routes file is refused with file:line and nothing runs" {
	printf 'prog dibao 民政 低保\nroute rule=x -> dibaoo\ndefault -> dibao\n' > bad.routes
	run refer --routes bad.routes "$hh"
	[ "$status" -eq 2 ]
	[ "$output" = "reach refer: bad.routes:2: unknown programme 'dibaoo': declare it first with a prog line" ]
	[ ! -e ledger.db ]
	printf 'prog dibao 民政 低保\nroute rule=x -> dibao\n' > bad.routes
	run refer --routes bad.routes "$hh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"bad.routes: no default line"* ]]
	printf 'prog dibao 民政 低保\nroute rule~x -> dibao\ndefault -> dibao\n' > bad.routes
	run refer --routes bad.routes "$hh"
	[[ "$output" == *"bad.routes:2: condition 'rule~x': a field is letters, digits and _ joined by dots"* ]]
}

@test "usage mistakes exit 2 and say what is wrong" {
	run reach refer "$hh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--db FILE is required"* ]]
	run refer --status contacted "$hh"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--status is for 'update', not pushing"* ]]
	run refer update
	[ "$status" -eq 2 ]
	[[ "$output" == *"update needs one REF"* ]]
	run refer update R2026-000001
	[ "$status" -eq 2 ]
	[[ "$output" == *"say what happened"* ]]
	run refer update R2026-000001 --status maybe
	[ "$status" -eq 2 ]
	run refer list --dry-run
	[ "$status" -eq 2 ]
	run refer --as-of 2026-13-40 "$hh"
	[ "$status" -eq 2 ]
}

@test "unreadable lines and households without hid are rejected; the rest are pushed" {
	{ head -2 "$hh"; echo '{"town":"龙池镇","flags":[{"rule":"x"}]}'; echo 'not json'; } > in.ndjson
	run refer --rejects rej.ndjson -o out.ndjson in.ndjson
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 records rejected, see rej.ndjson"* ]]
	[ "$(jq -r .src_line rej.ndjson | paste -sd,)" = "3,4" ]
	[ "$(jq -s length out.ndjson)" = 2 ]
	# stdin, too
	reach refer --db other.db --as-of 2026-10-09 - < "$hh" > out2.ndjson
	[ "$(jq -s length out2.ndjson)" = 13 ]
}
