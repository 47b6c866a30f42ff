#!/usr/bin/env bats
# Faults: a run killed half-way, a full disk, a reader that goes away, a
# database that cannot be written or is busy.  The database must always
# be whole afterwards, and the next run must finish the job.
# (import.bats and refer.bats kill one run each; this adds the rest.)
load helper

asof=--as-of=2026-10-09

# N, or a tenth of it under valgrind, where reach is some 50 times slower
scaled() {
	[ -z "$REACH_VALGRIND" ] && echo "$1" || echo $(($1 / 10))
}

# The database is whole: SQLite's own checks, and every reference holds.
consistent() {
	[ "$(sqlite3 "$1" 'pragma integrity_check')" = ok ] &&
	[ -z "$(sqlite3 "$1" 'pragma foreign_key_check')" ]
}

# Kill reach (not a subshell around it) as soon as the shell test $1
# holds; the rest of the arguments are the command.  Fails if reach
# ended by itself first: then nothing was tested.
kill_when() {
	local cond=$1 i
	shift
	"$@" > /dev/null 2>&1 &
	pid=$!
	for i in $(seq 2000); do
		eval "$cond" && break
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.01
	done
	kill -9 "$pid" || return 1
	wait "$pid" || :
}

# The number in the first column of the SQL's answer, 0 if none yet.
count() {
	sqlite3 "$1" "$2" 2> /dev/null || echo 0
}

# Bytes of a file, 0 if it is not there.
size() {
	stat -c %s "$1" 2> /dev/null || echo 0
}

# n flagged households, hids H0000001…
households() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++)
			printf "{\"hid\":\"H%07d\",\"town\":\"龙池镇\",\"members\":[{\"pid\":\"P%07d\",\"name\":\"户主%d\",\"rel\":\"head\"}],\"flags\":[{\"rule\":\"dibao-unenrolled\",\"level\":\"%s\",\"group\":\"dibao\",\"why\":\"收入低\"}]}\n", i, i, i, i % 7 ? "orange" : "red"
	}'
}

@test "import --db of several files killed in the second: the first stays whole, the second is not there at all" {
	n=$(scaled 300000)
	make_medical $n > big.csv
	# the second file comes down a pipe that is never closed: whenever
	# reach is killed, it is in the middle of it
	mkfifo second
	reach import -q --db county.db "$data/hotline.csv" - < second \
	    > /dev/null 2>&1 &
	pid=$!
	exec 7> second
	cat big.csv >&7
	# and some of it has reached the database file's log
	for i in $(seq 500); do
		[ "$(size county.db-wal)" -gt 1000000 ] && break
		sleep 0.01
	done
	kill -9 "$pid"
	wait "$pid" || :
	exec 7>&-
	consistent county.db
	[ "$(sqlite3 county.db 'select count(*) from files')" = 1 ]
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 3 ]
	[ "$(sqlite3 county.db "select count(*) from audit where command like 'import%'")" = 0 ]
	# the second file outgrew the table, so its load dropped the index
	# on id, to make it again at the end: it is there all the same
	[ "$(sqlite3 county.db "select count(*) from sqlite_master where name = 'rows_by_id'")" = 1 ]
	# the next run adds what was missing and nothing twice
	reach import -q --db county.db "$data/hotline.csv" big.csv > /dev/null
	consistent county.db
	[ "$(sqlite3 county.db 'select count(*) from rows')" = $((n + 3)) ]
	[ "$(sqlite3 county.db "select sql from sqlite_master where name = 'rows_by_id'")" = \
	  'CREATE INDEX rows_by_id ON rows(id) WHERE id IS NOT NULL' ]
	[ "$(sqlite3 county.db 'select count(*) from rows where file_id not in (select file_id from files)')" = 0 ]
}

@test "refer killed three times at different points: whole batches each time, references hold, the last run completes" {
	households 6000 > many.ndjson
	for over in 0 1000 3000; do
		kill_when '[ "$(count ledger.db "select count(*) from referrals")" -gt '$over' ]' \
		    reach refer --db ledger.db $asof many.ndjson
		consistent ledger.db
		n=$(sqlite3 ledger.db 'select count(*) from referrals')
		[ $((n % 256)) -eq 0 ] || [ "$n" -eq 6000 ]
		[ "$(sqlite3 ledger.db "select count(*) from referral_events where kind = 'pushed'")" = "$n" ]
		[ "$(sqlite3 ledger.db "select coalesce(sum(rows), 0) from audit where command = 'refer'")" = "$n" ]
	done
	reach refer --db ledger.db $asof many.ndjson > /dev/null
	consistent ledger.db
	[ "$(sqlite3 ledger.db 'select count(*), count(distinct hid) from referrals')" = "6000|6000" ]
	[ "$(sqlite3 ledger.db 'select last from referral_seq')" = 6000 ]
}

@test "refer update --from killed half-way changes nothing; run again, it applies every line" {
	households 3000 > many.ndjson
	reach refer --db ledger.db $asof many.ndjson > /dev/null
	seq 3000 | awk '{ printf "{\"ref\":\"R2026-%06d\",\"status\":\"contacted\",\"willing\":\"yes\",\"able\":\"no\"}\n", $1 }' > steps.ndjson
	# a township's file that stops coming half-way: kill it there
	mkfifo steps.fifo
	{ head -1000 steps.ndjson; exec sleep 60; } > steps.fifo 3>&- &
	writer=$!
	reach refer --db ledger.db update --from steps.fifo > /dev/null 2>&1 &
	pid=$!
	sleep 2
	kill -9 "$pid"
	wait "$pid" || :
	kill "$writer"
	consistent ledger.db
	[ "$(sqlite3 ledger.db "select count(*) from referrals where status <> 'pushed'")" = 0 ]
	[ "$(sqlite3 ledger.db "select count(*) from referral_events where kind = 'status'")" = 0 ]
	reach refer --db ledger.db update --from steps.ndjson --by 龙池镇 > /dev/null
	consistent ledger.db
	[ "$(sqlite3 ledger.db "select count(*) from referrals where status = 'contacted'")" = 3000 ]
}

@test "a full disk (/dev/full) is an error with a message for every command" {
	reach import -q --db county.db "$data"/match/*.csv > rows.ndjson
	reach flag $asof "$data/flag/households.ndjson" > flagged.ndjson
	reach refer -q --db ledger.db $asof "$data/refer/households.ndjson" > /dev/null
	while read -r cmd; do
		run reach $cmd < /dev/null
		[ "$status" -eq 2 ] && [[ "$output" == *"write error on "*": No space left on device"* ]] ||
		    { echo "reach $cmd: $status: $output" >&2; false; }
	done <<-EOF
	import $data/medical.csv -o /dev/full
	import --rejects /dev/full $data/death-bad.csv
	match $asof rows.ndjson -o /dev/full
	match $asof --db county.db -o /dev/full
	flag $asof flagged.ndjson -o /dev/full
	flag $asof --rejects /dev/full $data/refer/households.ndjson $BATS_TEST_FILENAME
	refer --db ledger2.db $asof $data/refer/households.ndjson -o /dev/full
	refer --db ledger.db list -o /dev/full
	refer --db ledger.db update R2026-000001 --status contacted --willing yes --able no -o /dev/full
	report flagged.ndjson -o /dev/full
	report worklist -f csv flagged.ndjson -o /dev/full
	report pipeline --db ledger.db -f html -o /dev/full
	report overdue --db ledger.db -f md -o /dev/full
	EOF
	# and on standard output, as in a pipeline
	run bash -c "reach flag $asof flagged.ndjson > /dev/full"
	[ "$status" -eq 2 ]
	[[ "$output" == *"write error on stdout: No space left on device"* ]]
}

@test "| head -1 ends every command quietly with status 0" {
	make_medical $(scaled 20000) > big.csv
	reach import -q --db county.db big.csv > rows.ndjson
	households $(scaled 20000) > many.ndjson
	reach refer -q --db ledger.db $asof many.ndjson > /dev/null
	while read -r cmd; do
		bash -c "reach $cmd 2> err < /dev/null | head -1 > first; exit \${PIPESTATUS[0]}" ||
		    { echo "reach $cmd: status $?: $(cat err)" >&2; false; }
		[ ! -s err ] || { echo "reach $cmd: $(cat err)" >&2; false; }
		[ -s first ]
	done <<-EOF
	import big.csv
	match $asof rows.ndjson
	match $asof --db county.db
	flag $asof many.ndjson
	refer --db ledger2.db $asof many.ndjson
	refer --db ledger.db list
	report worklist -f csv many.ndjson
	report worklist -f html many.ndjson
	EOF
}

# Run as nobody, for whom file modes hold (root may write anything).
as_nobody() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"
}

@test "a read-only database is named as such, and nothing is written" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to become nobody"
	command -v setpriv > /dev/null || skip "no setpriv"
	dir=$(mktemp -d)
	chmod 755 "$dir"
	cd "$dir"
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	chmod 644 county.db
	run as_nobody reach import --db county.db "$data/medical.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'county.db' is read-only to this user: reach writes to the database, and beside it the files county.db-wal and county.db-shm"* ]]
	run as_nobody reach refer --db county.db list
	[ "$status" -eq 2 ]
	[[ "$output" == *"'county.db' is read-only to this user"* ]]
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 3 ]
	cd / && rm -rf "$dir"
}

@test "a row the database refuses half-way through a file: named, and nothing of that file is kept" {
	cd "$BATS_TEST_TMPDIR"
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	# what a full disk or a damaged file does mid-load, on purpose
	sqlite3 county.db "create trigger refuse before insert on rows
	    when new.line = 4 begin select raise(abort, 'refused by test'); end"
	run reach import --db county.db "$data/medical.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"county.db: loading rows: refused by test"* ]]
	[ "$(sqlite3 county.db 'select count(*) from rows')" = 3 ]
	[ "$(sqlite3 county.db 'select count(*) from files')" = 1 ]
	consistent county.db
}

@test "a database locked by another writer: reach waits for it, then says it is locked" {
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	# a writer that holds the lock for 3 seconds
	{ echo 'BEGIN IMMEDIATE; INSERT INTO meta VALUES ("held", 1);'; sleep 3; echo 'COMMIT;'; } |
	    sqlite3 county.db &
	holder=$!
	sleep 0.5
	run env REACH_DB_TIMEOUT=1 reach import --db county.db "$data/medical.csv"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'county.db' is locked: another program is writing to it and did not finish within 1 s (REACH_DB_TIMEOUT); try again later"* ]]
	# with the default wait it goes through once the other is done
	run reach import --stats --db county.db "$data/medical.csv"
	[ "$status" -eq 0 ]
	wait "$holder"
	consistent county.db
	[ "$(sqlite3 county.db "select count(*) from meta where key = 'held'")" = 1 ]
	[ "$(sqlite3 county.db "select count(*) from rows where src = 'medical'")" -gt 0 ]
}

@test "two writers at once: import and refer wait for each other, and both succeed" {
	n=$(scaled 50000)
	make_medical $n > big.csv
	households 3000 > many.ndjson
	reach import -q --db county.db big.csv > /dev/null 2> a.err & a=$!
	reach refer -q --db county.db $asof many.ndjson > /dev/null 2> b.err & b=$!
	make_medical $n | sed 's/JS0/JT0/' > big2.csv
	reach import -q --db county.db big2.csv > /dev/null 2> c.err & c=$!
	wait $a
	wait $b
	wait $c
	cat a.err b.err c.err > err
	[ ! -s err ]
	consistent county.db
	[ "$(sqlite3 county.db 'select count(*) from rows')" = $((2 * n)) ]
	[ "$(sqlite3 county.db 'select count(*) from referrals')" = 3000 ]
}

@test "rejects hold rows as they came, so a new rejects file is private like the database" {
	umask 022
	run reach import --rejects rejects.ndjson "$data/death-bad.csv"
	[ -s rejects.ndjson ]
	[ "$(stat -c %a rejects.ndjson)" = 600 ]
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	[ "$(stat -c %a county.db county.db-wal county.db-shm | sort -u)" = 600 ]
}

@test "a database from an earlier reach opens: schema 3 with its old indexes, and schema 2" {
	reach import -q --db county.db "$data/hotline.csv" > /dev/null
	# as the reach of October left it: version 3, place and name indexes
	sqlite3 county.db "pragma user_version = 3;
	    create index if not exists rows_by_place on rows(json_extract(rec, '\$.town'), json_extract(rec, '\$.village'));
	    create index if not exists rows_by_name on rows(json_extract(rec, '\$.name'));"
	reach import -q --db county.db "$data/medical.csv" > /dev/null
	reach match -q --db county.db < /dev/null > /dev/null
	consistent county.db
	[ "$(sqlite3 county.db 'pragma user_version')" = 4 ]
	# the index by source no query read is gone; the others are kept
	[ -z "$(sqlite3 county.db "select name from sqlite_master where name = 'rows_by_src'")" ]
	[ -n "$(sqlite3 county.db "select name from sqlite_master where name = 'rows_by_place'")" ]
	# one made in between, at version 2, is brought up to date
	sqlite3 county.db 'pragma user_version = 2'
	reach import -q --db county.db "$data/medical.csv" > /dev/null
	[ "$(sqlite3 county.db 'pragma user_version')" = 4 ]
}
