#!/usr/bin/env bats
# scripts/monthly-scan: the scheduled job, as cron runs it.

load helper

scan="$top/scripts/monthly-scan"

setup_file() {
	"$top/build/gen-county" --seed 11 --households 300 --as-of 2026-11-01 \
		--out "$BATS_FILE_TMPDIR/county"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	mkdir in
	cp "$BATS_FILE_TMPDIR"/county/*.csv in/
}

referrals() {
	sqlite3 county.db "SELECT count(*) || ' ' || count(DISTINCT hid) FROM referrals"
}

@test "a run is silent, moves what it imported, and writes worklists, summary and log" {
	run "$scan" --db county.db --in in --out out --as-of 2026-11-01
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# every CSV was imported and moved away; nothing is left to re-read
	[ -z "$(ls in/*.csv 2>/dev/null)" ]
	[ "$(ls in/done/2026-11-01/*.csv | wc -l)" -eq "$(ls "$BATS_FILE_TMPDIR"/county/*.csv | wc -l)" ]
	# one worklist per township, for Excel and for the browser
	ls out/2026-11-01/worklist-*.csv out/2026-11-01/worklist-*.html > /dev/null
	head -c 3 "$(ls out/2026-11-01/worklist-*.csv | head -1)" | od -An -tx1 | grep -q 'ef bb bf'
	[ -s out/2026-11-01/summary.csv ] && [ -s out/2026-11-01/summary.html ]
	grep -q '<svg' out/2026-11-01/summary.html
	# the worklists hold every case still to act on, masked
	[ "$(cat out/2026-11-01/worklist-*.csv | grep -c ',已推送,')" -eq "$(referrals | cut -d' ' -f1)" ]
	! grep -q '5002411[0-9]\{10\}' out/2026-11-01/worklist-*.csv
	# one line per stage
	for stage in start import match flag refer report done; do
		grep -q "monthly-scan\[[0-9]*\]: $stage: " out/monthly-scan.log
	done
	grep -q ': refer: [1-9][0-9]* pushed' out/monthly-scan.log
	# the database and the outputs are private
	[ "$(stat -c %a county.db)" = 600 ]
	[ "$(stat -c %a out/2026-11-01/summary.csv)" = 600 ]
}

@test "a second run, with the same files sent again, pushes no duplicate referral" {
	"$scan" --db county.db --in in --out out --as-of 2026-11-01
	first=$(referrals)
	[ "${first%% *}" -gt 0 ]
	[ "${first%% *}" = "${first#* }" ]	# one referral per household
	cp "$BATS_FILE_TMPDIR"/county/*.csv in/
	run "$scan" --db county.db --in in --out out --as-of 2026-11-01
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(referrals)" = "$first" ]
	grep -q ': import: .* 0 new, ' out/monthly-scan.log
	grep -q ': refer: 0 pushed, ' out/monthly-scan.log
	# the second copies are kept beside the first
	[ -f in/done/2026-11-01/medical.1.csv ]
}

@test "next month's run, with nothing new, pushes nothing twice" {
	"$scan" --db county.db --in in --out out --as-of 2026-11-01
	first=$(referrals)
	run "$scan" --db county.db --in in --out out --as-of 2026-12-01
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ "$(referrals)" = "$first" ]
	grep -q ': import: 0 files, ' out/monthly-scan.log
	[ -d out/2026-12-01 ]
}

@test "a run while another holds the lock is refused with status 75 and touches nothing" {
	( exec 9>> county.db.lock; flock 9; touch held; exec sleep 30 ) > /dev/null 2>&1 &
	holder=$!
	while [ ! -e held ]; do sleep 0.05; done
	run "$scan" --db county.db --in in --out out --as-of 2026-11-01
	kill "$holder"
	[ "$status" -eq 75 ]
	[[ "$output" == "monthly-scan: another run holds county.db.lock; not started" ]]
	[ ! -e county.db ]
	[ -n "$(ls in/*.csv)" ]
}

@test "two runs started together: one works, the other is refused" {
	"$scan" --db county.db --in in --out out --as-of 2026-11-01 2> a.err & a=$!
	"$scan" --db county.db --in in --out out --as-of 2026-11-01 2> b.err & b=$!
	sa=0 sb=0
	wait "$a" || sa=$?
	wait "$b" || sb=$?
	[ "$((sa + sb))" -eq 75 ]
	cat a.err b.err | grep -q 'another run holds'
}

@test "a file that cannot be read stays in the folder; the rest is done; status 1 and a clear last line" {
	printf 'PK\003\004 not a csv' > in/新部门名单.csv
	run "$scan" --db county.db --in in --out out --as-of 2026-11-01
	[ "$status" -eq 1 ]
	[[ "${lines[-1]}" == "monthly-scan: 1 file(s) in in could not be read and were left there: 新部门名单.csv (log: out/monthly-scan.log)" ]]
	[ -f in/新部门名单.csv ]
	[ -f in/done/2026-11-01/roster.csv ]
	[ "$(referrals | cut -d' ' -f1)" -gt 0 ]
	ls out/2026-11-01/worklist-*.csv > /dev/null
}

@test "a stage that fails stops the run: status 1 and the last line names the stage" {
	run "$scan" --db no/such/dir/county.db --lock lock --in in --out out --as-of 2026-11-01
	[ "$status" -eq 1 ]
	[[ "${lines[-1]}" == "monthly-scan: failed at import: "*"(log: out/monthly-scan.log)" ]]
	grep -q ': import: FAILED: ' out/monthly-scan.log
	# nothing was moved: the next run will read the files again
	[ -f in/roster.csv ]
}

@test "the file name chooses the profile; --since reaches reach import" {
	mv in/medical.csv in/医保结算-2026年10月.csv
	"$scan" --db county.db --in in --out out --as-of 2026-11-01 --since 2026-10-01
	grep -q 'import: 医保结算-2026年10月.csv (medical): .*"old":[1-9]' out/monthly-scan.log
	grep -q 'import: roster.csv (roster): ' out/monthly-scan.log
	grep -q ': start: .*since 2026-10-01' out/monthly-scan.log
	[ "$(sqlite3 county.db "SELECT count(*) FROM rows WHERE src = 'medical' AND json_extract(rec, '$.med.last') < '2026-10-01'")" -eq 0 ]
}

@test "usage errors exit 2 and say what is wrong" {
	run "$scan" --in in --out out
	[ "$status" -eq 2 ]
	[[ "$output" == *"monthly-scan: --db FILE is required"* ]]
	run "$scan" --db c.db --in in --out out --as-of 1.11.2026
	[ "$status" -eq 2 ]
	[[ "$output" == *"expected a date YYYY-MM-DD"* ]]
	run "$scan" --db c.db --in nowhere --out out
	[ "$status" -eq 2 ]
	run "$scan" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"Exit status"* ]]
}

@test "under cron's short PATH it still finds reach beside itself" {
	run env -i PATH=/usr/bin:/bin HOME="$HOME" "$scan" --db county.db --in in --out out --as-of 2026-11-01
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	grep -q ': done: ' out/monthly-scan.log
}
