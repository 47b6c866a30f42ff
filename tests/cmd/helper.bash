# Shared set-up for the command tests: the repo, the binary on PATH,
# a private scratch directory, and the fixtures.
top="${REACH_TOP:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
# REACH_BIN_DIR: the reach under test (tests/run: a sanitized build, or
# a valgrind wrapper), else the one in the top directory
PATH="${REACH_BIN_DIR:-$top}:$PATH"
data="$top/tests/data"

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

# A valid synthetic ID from 17 digits (ISO 7064 MOD 11-2 check).
make_id() {
	awk -v s="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
		for (i = 1; i <= 17; i++) sum += substr(s, i, 1) * w[i]
		print s substr("10X98765432", sum % 11 + 1, 1)
	}'
}

# N rows of a plausible medical export, for tests that need size.
make_medical() {
	awk -v n="$1" 'BEGIN {
		print "结算编号,参保人姓名,身份证号码,参保类型,就诊医院,入院日期,出院日期,疾病诊断,医疗总费用,统筹基金支付,大病保险支付,医疗救助支付,个人自付"
		for (i = 1; i <= n; i++)
			printf "JS%07d,病人%d,,城乡居民,秀山县人民医院,2026-03-01,2026-03-09,肺炎,\"1,234.50\",800,0,0,434.5\n", i, i
	}'
}
