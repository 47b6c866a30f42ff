#!/usr/bin/env bats
# reach itself: the dispatcher, the manual, installation.

load helper

@test "reach --help lists every command; --version says which reach" {
	run reach --help
	[ "$status" -eq 0 ]
	for c in $(sed -n 's/^	{ "\([a-z]*\)", cmd_.*/\1/p' "$top/cmd/reach.c"); do
		[[ "$output" == *"  $c "* ]]
	done
	run reach --version
	[[ "$output" =~ ^reach\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "no command is a usage error that says how to get help" {
	run reach
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: reach COMMAND"* ]]
}

@test "every command has --help and a manual page that names its options" {
	for c in $(sed -n 's/^	{ "\([a-z]*\)", cmd_.*/\1/p' "$top/cmd/reach.c"); do
		run reach "$c" --help
		[ "$status" -eq 0 ]
		[ -f "$top/man/reach-$c.1" ]
		# a command's own options in its page; the common ones in reach(1)
		for opt in $(reach "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			case $opt in --help|--usage) continue ;; esac
			grep -q -- "${opt#--}" "$top/man/reach-$c.1" "$top/man/reach.1" ||
				{ echo "no manual page names $opt of reach $c"; return 1; }
		done
	done
}

@test "reach help COMMAND shows its manual page" {
	MANPAGER=cat MANWIDTH=80 run reach help match
	[ "$status" -eq 0 ]
	[[ "$output" == *"link records about the same people into households"* ]]
}

@test "make install puts the binary, the manual and the profiles under DESTDIR" {
	make -s -C "$top" install PREFIX=/opt/reach DESTDIR="$BATS_TEST_TMPDIR/root" > /dev/null
	root="$BATS_TEST_TMPDIR/root/opt/reach"
	[ -x "$root/bin/reach" ]
	[ -f "$root/share/man/man1/reach-import.1" ]
	[ -f "$root/share/man/man5/reach-profile.5" ]
	[ -f "$root/share/man/man7/reach-records.7" ]
	[ -f "$root/share/reach/profiles/medical.profile" ]
	"$root/bin/reach" import --list-profiles > list
	grep -q '^medical ' list
}

@test "progress goes to a terminal, never into a pipe or a file" {
	command -v script > /dev/null || skip "script(1) not installed"
	make_medical 70000 > big.csv
	script -qec "reach import big.csv > /dev/null" /dev/null > tty.txt
	grep -q 'big.csv: 70000 rows, .* MB/s' tty.txt
	reach import big.csv > /dev/null 2> err
	[ ! -s err ]
}
