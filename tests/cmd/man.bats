#!/usr/bin/env bats
# man.bats — the manual pages render cleanly and keep up with the code:
# every option of 'reach import --help', every built-in profile and every
# field key the profiles use is documented.

setup() {
	REACH_TOP="${REACH_TOP:-$BATS_TEST_DIRNAME/../..}"
	REACH="$REACH_TOP/reach"
	MAN="$REACH_TOP/man"
	export LC_ALL=C.UTF-8
}

# lint PAGE: print the warnings of the formatter, nothing when clean
lint() {
	if command -v mandoc >/dev/null 2>&1; then
		mandoc -T lint -W warning "$1" 2>&1
	else
		groff -k -Tutf8 -mandoc -ww -z "$1" 2>&1
	fi
}

@test "every man page renders without warnings" {
	local page out n=0
	for page in "$MAN"/*.[1-8]; do
		[ -e "$page" ] || continue
		n=$((n + 1))
		out=$(lint "$page") || true
		if [ -n "$out" ]; then
			echo "$out"
			return 1
		fi
	done
	[ "$n" -ge 4 ]
}

@test "the expected pages exist" {
	[ -f "$MAN/reach.1" ]
	[ -f "$MAN/reach-import.1" ]
	[ -f "$MAN/reach-profile.5" ]
	[ -f "$MAN/reach-records.7" ]
}

@test "every long option of 'reach import --help' is in reach-import(1)" {
	local help opts opt missing=""
	help=$("$REACH" import --help)
	opts=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ]
	for opt in $opts; do
		# mdoc writes --name as "Fl \-name"
		grep -q -- "Fl \\\\-${opt#--}\\b" "$MAN/reach-import.1" ||
			missing="$missing $opt"
	done
	[ -z "$missing" ] || { echo "not documented:$missing"; return 1; }
}

@test "every built-in profile is in reach-profile(5)" {
	local name missing=""
	for name in $("$REACH" import --list-profiles | awk '{ print $1 }'); do
		grep -q "^\.It Cm $name\$" "$MAN/reach-profile.5" ||
			missing="$missing $name"
	done
	[ -z "$missing" ] || { echo "not documented:$missing"; return 1; }
}

@test "every field key of the built-in profiles is in reach-records(7)" {
	local key missing=""
	for key in $(grep -hv '^[[:space:]]*\(#\|$\)' \
	    "$REACH_TOP"/share/reach/profiles/*.profile |
	    awk '$1 != "source" && $1 != "label" { print $1 }' |
	    sed 's/[!:].*//' | sort -u); do
		grep -q "^\.It Li $key Ta" "$MAN/reach-records.7" ||
			missing="$missing $key"
	done
	[ -z "$missing" ] || { echo "not documented:$missing"; return 1; }
}

@test "'reach help import' shows reach-import(1)" {
	command -v man >/dev/null 2>&1 || skip "man is not installed"
	run env MANPAGER=cat PAGER=cat MANWIDTH=80 "$REACH" help import
	[ "$status" -eq 0 ]
	[[ "$output" == *"REACH-IMPORT(1)"* ]]
	[[ "$output" == *"--list-profiles"* ]]
}

@test "'reach help records' and 'reach help profile' find sections 7 and 5" {
	command -v man >/dev/null 2>&1 || skip "man is not installed"
	run env MANPAGER=cat PAGER=cat "$REACH" help records
	[ "$status" -eq 0 ]
	[[ "$output" == *"REACH-RECORDS(7)"* ]]
	run env MANPAGER=cat PAGER=cat "$REACH" help profile
	[ "$status" -eq 0 ]
	[[ "$output" == *"REACH-PROFILE(5)"* ]]
}

@test "the exit statuses in reach(1) are those of the code" {
	run "$REACH" import --no-such-option
	[ "$status" -eq 2 ]
	grep -q '^\.It 2$' "$MAN/reach.1"
	grep -q '^\.It 1$' "$MAN/reach.1"
}
