#!/usr/bin/env bats
# Discovery quality end to end: a small synthetic county through import,
# match, flag and refer, scored against its hidden truth by
# scripts/eval-discovery.  The floors sit below what the default rules
# reach (at 20,000 households: recall about 0.96, precision about 0.97)
# so that a small county's chance does not fail the build, but a rule or
# a routing change that loses families or pushes fine ones does.

load helper

setup_file() {
	[ -x "$top/reach" ] && [ -x "$top/build/gen-county" ] ||
	    make -C "$top" all >&2 || return 1
	"$top/scripts/eval-discovery" --seed 3 --households 1000 \
	    --keep "$BATS_FILE_TMPDIR/k" > "$BATS_FILE_TMPDIR/eval.txt" || :
}

figure() {
	sed -n "s/^$1: .*$2 \([0-9.]*\).*/\1/p" "$BATS_FILE_TMPDIR/eval.txt"
}

@test "a small county: recall and precision at least 0.90, link F1 at least 0.995" {
	cat "$BATS_FILE_TMPDIR/eval.txt"
	awk -v r="$(figure discovery recall)" -v p="$(figure discovery precision)" \
	    -v f="$(figure links F1)" 'BEGIN { exit !(r >= 0.90 && p >= 0.90 && f >= 0.995) }'
}

@test "every reason with enough families is found at least 4 times in 5" {
	# "  alone      recall 0.988 (475 of 481)"
	awk '/^  [a-z]+ +recall/ && $6 + 0 >= 10 && $3 < 0.8 { print "low: " $0; bad = 1 }
	    END { exit bad }' "$BATS_FILE_TMPDIR/eval.txt"
}

@test "--min-* floors make eval-discovery fail, and pass when met" {
	run "$top/scripts/eval-discovery" --seed 3 --households 300 --min-recall 1.01
	[ "$status" -eq 1 ]
	"$top/scripts/eval-discovery" --seed 3 --households 300 \
	    --min-recall 0.5 --min-precision 0.5 --min-link-f1 0.9 > /dev/null
}

@test "fine families with a single misleading signal are not pushed" {
	k="$BATS_FILE_TMPDIR/k"
	# households with no hardship that called to ask (咨询/投诉/建议) or
	# were visited and found well
	jq -r 'select(.reasons == 0 and (.noise[0] > 0 or .noise[1] > 0)) | .p[].id' \
	    "$k/county/latent.ndjson" | sort -u > fine-ids
	[ "$(wc -l < fine-ids)" -gt 10 ]
	jq -r '.members[] | .id // empty' "$k/referrals.ndjson" | sort -u > pushed-ids
	[ "$(comm -12 fine-ids pushed-ids | wc -l)" -eq 0 ]
}
