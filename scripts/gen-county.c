/*
 * gen-county — write a synthetic sample county for reach.
 *
 *	gen-county [--seed N] [--households N] [--as-of YYYY-MM-DD] [-v]
 *	    [--latent] --out DIR
 *
 * Nobody in these files exists.  The program first draws the latent truth
 * of each household of an imaginary Xiushan county (real township names,
 * invented villages, invented people), then writes what eleven departments
 * would export about it (sources.md), with the damage real exports carry,
 * and finally the answer key: truth.ndjson, the households a good
 * discovery run should find, and identity.tsv, the true person behind
 * every data row ("file<TAB>line<TAB>id", line being the physical line
 * the row starts on), so that matching can be scored row by row.
 *
 * Everything follows from --seed through one xoshiro256** stream, so the
 * same seed gives byte-identical files.  -v prints a one-line summary;
 * --latent also writes latent.ndjson, every household's hidden state
 * (incomes, bills, programmes, reasons, evidence as bit sets in the
 * order of reason_code[]), to see why a run missed or pushed a family.
 *
 * The model, per household (rates are per person unless said otherwise):
 *
 *   shape	9% one person 65+, 10% old couple, 8% one adult, 8% couple
 *		45-64, 40% couple with 1-3 children, 21% three generations,
 *		4% grandparents with grandchildren: 3.2 people on average.
 *		30% of households live in the four 街道 (urban, 社区), the
 *		rest in the 23 乡镇 (rural, 村).  6% of spouses come from a
 *		neighbouring county, 0.4% from Xinjiang (dotted names).
 *   work	23-59: rural 50% migrant, 18% local job, 25% farming, 4%
 *		flexible, 3% none; urban 60% job, 25% flexible, 7% migrant,
 *		5% none.  Rural 60-75 farm 70% of the time; 30% of the urban
 *		old have an employee pension, the rest the residents' pension
 *		(2,000-3,000 a year).  Where nobody can work, children living
 *		elsewhere send money in 85% of households (the "supporter").
 *   illness	chronic 1% (<18) to 32% (75+); grave (cancer, uraemia, ...)
 *		0.1% to 2.5%, 15% of it diagnosed in the last 90 days; 12-month
 *		out-of-pocket 800-8,000 chronic, 8,000-70,000 grave.  4% of
 *		the rest have a small bill (a misleading signal).
 *   disability	1.5% (<18), 4% (18-59), 10% (60-79), 18% (80+); grades
 *		一级 10%, 二级 20%, 三级 30%, 四级 40%; 85% hold a certificate.
 *   school	80% of 3-5 in kindergarten, all 6-15, 80% of 16-18 in 高中 or
 *		中职, 35% (rural) / 50% (urban) of 19-22 in 高校.
 *   events	death 0.2%-9% a year by age (+10% when gravely ill); 5% of
 *		workers lost work in the last 180 days; one summer flood in
 *		three rural towns (6% of their households), two landslides
 *		(25% of a village), house fires (0.06%).
 *   programmes	drawn from last year's income, before this year's events:
 *		under the standard 70% dibao (or tekun when eligible), under
 *		1.5x 12% dibao and 35% edge, fragile rural households 20%
 *		monitored, large medical bills 25% 支出型.
 *   signals	a household in need (a reason below, or one that cannot
 *		apply and is poor without 低保 or 特困) calls the hotline
 *		10%, is visited 25% (35% when frail), was turned down
 *		before 12%; a fine one
 *		calls 1.2% (咨询/投诉/建议), is visited 1%, was turned down
 *		1.2%, has a member registered unemployed 2% (when well off).
 *
 * With the defaults about 9% of households end up in truth.ndjson, and
 * 6 to 7% have an evident reason.
 *
 * Reason codes of truth.ndjson, exactly as hardship() and final_reasons()
 * compute them (pc = current income per living member per month; std =
 * 770 urban / 630 rural; "on a programme" = dibao, tekun, edge, monitor
 * or 支出型; incomes exclude assistance):
 *
 *   dibao	pc < std, not on dibao or tekun.
 *   tekun	every living member unable to work (>= 60, < 16, disability
 *		grade 1-2, or grade 3 intellectual/mental),
 *		pc < std, no supporter, on neither dibao nor tekun (a
 *		household on dibao has applied and its basic living is
 *		assured; its move to 特困 is the yearly review's, and no
 *		export shows the supporter that decides it).
 *   medical	12-month out-of-pocket of the household (the dead included)
 *		>= 10,000 when on a programme or pc < 1.5 std, >= 26,000
 *		otherwise, or > 0 and >= 50% of the annual household income.
 *   education	school fees >= 40% of the annual income, no child aided.
 *   rigid	pc >= std, out-of-pocket + fees >= 20% of the income, and
 *		(income - out-of-pocket - fees) / 12 / members < std.
 *   alone	a member who cannot apply alone (80+ living alone, 不能自理,
 *		severely disabled as for tekun, or gravely ill), a signal
 *		of need (a 求助 call or a visit,
 *		pc < 1.5 std, or the medical reason), not on dibao or tekun.
 *   unstable	monitored, and a member lost work in the last 180 days or
 *		had his social insurance stopped.
 *   rejected	a rejected application in the past, and some other reason.
 *   hotline	a 求助 call or a visit report of need, and another reason.
 *   disaster	house collapsed this year; or badly damaged, and pc < 1.5 std
 *		or nobody able to work.
 *   sudden	not on dibao or tekun, and the main earner (< 60) died in the
 *		last 180 days leaving pc < 1.5 std, or a grave illness was
 *		diagnosed in the last 90 days.
 *
 * A household goes into truth.ndjson when it has a reason and at least one
 * row about one of its members in any export; "ids" lists every member,
 * the dead included (a death row is a trace too).  The reasons are the
 * notice's, computed from the hidden state alone, never from what reach
 * makes of the exports.
 *
 * "evident" lists the reasons the rows written actually show: a row
 * about a member is no evidence of low income, and a family whose
 * hardship no export shows cannot be discovered from the data, however
 * good the rules (eval-discovery scores recall over evident reasons,
 * and counts a referral right for any household in hardship).  The
 * income an officer reads is the roster's assessed figure (the last
 * review's, before this year's events), else that of the latest
 * application that gave one, else the monitoring list's ("stated", st;
 * yr = st x 12 x living members).  A 求助 call or a visit that found
 * need ("report") shows every reason: the caller or the worker tells.
 * Otherwise:
 *
 *   dibao, tekun	st < std.
 *   medical	the settlements (always exported) sum to >= 26,000; or
 *		>= 10,000 and a programme list (roster, monitoring) names
 *		the household or st < 1.5 std; or >= 50% of yr.
 *   education	the exported fees are >= 40% of yr.
 *   rigid	out-of-pocket + exported fees >= 20% of yr and leave
 *		under std per person per month.
 *   alone	the member who cannot apply shows (an 80+ living alone
 *		in any row; 不能自理 or severe disability in the disability
 *		register; grave illness in the settlements) and so does the
 *		signal (st < 1.5 std, or the medical reason shows).
 *   unstable	the employment register shows the lost job or the stopped
 *		insurance (the monitoring list always names the household).
 *   disaster	the disaster list shows a collapse; a severe loss with
 *		st < 1.5 std.
 *   sudden	a new grave illness (settlements); the earner's death in
 *		the death register, when the roster or the monitoring list
 *		still names him with his family.
 *   rejected, hotline	shown when another reason is.
 */
#include <errno.h>
#include <getopt.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "idcard.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAXP		10
#define MAXVILL		20

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("gen-county: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL)
		die("out of memory");
	return p;
}

/* ---- random numbers: splitmix64 seeds xoshiro256** ---- */

static uint64_t rs[4];

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rnext(void)
{
	uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

static double
runi(void)
{
	return (rnext() >> 11) * 0x1.0p-53;
}

/* Uniform integer in [lo, hi]. */
static int
rint_in(int lo, int hi)
{
	return lo + (int)(runi() * (hi - lo + 1));
}

static int
chance(double p)
{
	return runi() < p;
}

/* In [lo, hi), bunched towards lo: incomes and bills are skewed. */
static double
rskew(double lo, double hi)
{
	double u = runi();

	return lo + (hi - lo) * u * u;
}

static double
rrange(double lo, double hi)
{
	return lo + (hi - lo) * runi();
}

/* Index drawn from weights w[0..n). */
static int
rweight(const int *w, int n)
{
	int i, sum = 0, x;

	for (i = 0; i < n; i++)
		sum += w[i];
	x = (int)(runi() * sum);
	for (i = 0; i < n - 1; i++)
		if ((x -= w[i]) < 0)
			break;
	return i;
}

#define PICK(a)	((a)[rint_in(0, NELEM(a) - 1)])

/* ---- dates: day numbers since 1970-01-01 (Hinnant's algorithms) ---- */

static long
days_from_civil(int y, int m, int d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400) + (*m <= 2);
}

enum dstyle {
	D_ISO,		/* 2023-05-01 */
	D_SLASH,	/* 2023/5/1 */
	D_DOT,		/* 2023.5.1 */
	D_CN,		/* 2023年5月1日 */
	D_COMPACT,	/* 20230501 */
	D_SERIAL,	/* 45047, Excel's day count */
	D_MONTH,	/* 2023-05 */
	D_MONTHC,	/* 202305 */
};

static long asof;		/* reference date */
static int asof_year;

static const char *
fmt_date(char *b, size_t n, long day, enum dstyle st)
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	switch (st) {
	case D_ISO:	snprintf(b, n, "%04d-%02d-%02d", y, m, d); break;
	case D_SLASH:	snprintf(b, n, "%d/%d/%d", y, m, d); break;
	case D_DOT:	snprintf(b, n, "%d.%d.%d", y, m, d); break;
	case D_CN:	snprintf(b, n, "%d年%d月%d日", y, m, d); break;
	case D_COMPACT:	snprintf(b, n, "%04d%02d%02d", y, m, d); break;
	case D_SERIAL:
		snprintf(b, n, "%ld", day - days_from_civil(1899, 12, 30));
		break;
	case D_MONTH:	snprintf(b, n, "%04d-%02d", y, m); break;
	case D_MONTHC:	snprintf(b, n, "%04d%02d", y, m); break;
	}
	return b;
}

/* A day in the last `span` days before the reference date. */
static long
recent(int lo, int hi)
{
	return asof - rint_in(lo, hi);
}

/* ---- money ---- */

enum mstyle { M_PLAIN, M_INT, M_COMMA, M_YUAN, M_WAN, M_DASH, M_EMPTY };

static const char *
fmt_money(char *b, size_t n, double v, enum mstyle st)
{
	long long c = llround(v * 100), i = c / 100;
	char t[32];
	int len, k, o = 0;

	switch (st) {
	case M_PLAIN:	snprintf(b, n, "%lld.%02lld", i, c % 100); break;
	case M_INT:	snprintf(b, n, "%lld", llround(v)); break;
	case M_YUAN:	snprintf(b, n, "¥%lld", llround(v)); break;
	case M_DASH:	snprintf(b, n, "-"); break;
	case M_EMPTY:	b[0] = '\0'; break;
	case M_WAN:
		if (v >= 10000) {
			snprintf(b, n, "%.1f万", v / 10000);
			break;
		}
		snprintf(b, n, "%lld", llround(v));
		break;
	case M_COMMA:
		len = snprintf(t, sizeof t, "%lld", i);
		for (k = 0; k < len && o < (int)n - 4; k++) {
			if (k > 0 && (len - k) % 3 == 0)
				b[o++] = ',';
			b[o++] = t[k];
		}
		snprintf(b + o, n - o, ".%02lld", c % 100);
		break;
	}
	return b;
}

/* ---- places ---- */

static const struct town {
	const char *name;
	int urban, weight;
} towns[] = {
	{ "中和街道", 1, 9 }, { "乌杨街道", 1, 5 }, { "平凯街道", 1, 5 },
	{ "官庄街道", 1, 4 },
	{ "清溪场镇", 0, 4 }, { "隘口镇", 0, 3 }, { "溶溪镇", 0, 3 },
	{ "龙池镇", 0, 3 }, { "石堤镇", 0, 3 }, { "峨溶镇", 0, 2 },
	{ "洪安镇", 0, 3 }, { "雅江镇", 0, 3 }, { "石耶镇", 0, 3 },
	{ "梅江镇", 0, 3 }, { "兰桥镇", 0, 2 }, { "膏田镇", 0, 2 },
	{ "溪口镇", 0, 2 }, { "妙泉镇", 0, 2 }, { "宋农镇", 0, 3 },
	{ "里仁镇", 0, 2 }, { "钟灵镇", 0, 3 },
	{ "孝溪乡", 0, 1 }, { "海洋乡", 0, 2 }, { "大溪乡", 0, 1 },
	{ "涌洞乡", 0, 1 }, { "中平乡", 0, 1 }, { "岑溪乡", 0, 1 },
};
#define NTOWN	((int)NELEM(towns))

/* Invented; a clash with a real village is chance. */
static const char *village_stem[] = {
	"大寨", "新田", "石坝", "龙井", "凉桥", "红岩", "桐木", "高桥", "坪上",
	"杉木", "金竹", "茶园", "黄杨", "楠木", "白沙", "马鞍", "岩门", "凤鸣",
	"双河", "三合", "长坪", "青山", "清水", "水坝", "柏香", "梨子", "沙坝",
	"木林", "土坪", "大坪", "小溪", "竹林", "官田", "堰塘", "油坊", "太阳",
	"星光", "田坝", "龙门", "岩口", "半坡", "鱼塘", "新寨", "老寨", "平阳",
	"桃花", "枫香", "松林", "银杏", "香树", "大河", "溪边", "坝上", "中寨",
	"上坝", "下坝", "两河", "光明", "群力", "胜利",
};
static const char *community_stem[] = {
	"城东", "城南", "城西", "城北", "凤凰", "花灯", "滨河", "和平", "民族",
	"文化", "锦绣", "金珠", "东门", "西街", "新华", "解放", "团结", "育才",
	"平安", "阳光", "丽景", "江滨", "高新", "梅江",
};
static const char *road[] = {
	"渝秀大道", "凤凰路", "中和大道", "花灯路", "梅江路", "民族路",
	"新华路", "平阳路", "滨河路", "育才路",
};

static struct village {
	char name[32];
	char coord[32];		/* the village's assistance worker */
} vill[NTOWN][MAXVILL];
static int nvill[NTOWN];
static int town_w[NTOWN];

/* ---- names ---- */

static const char *surname[] = {
	"杨", "吴", "田", "王", "李", "张", "刘", "陈", "龙", "石", "彭",
	"白", "向", "黄", "周", "胡", "罗", "冉", "姚", "滕", "何", "谢",
	"徐", "赵", "孙", "唐", "邓", "麻", "梁", "熊", "肖", "曾", "伍",
	"侯", "任",
};
/* Xiushan's own skew: 杨 吴 田 龙 石 are far commoner than nationally. */
static const int surname_w[] = {
	90, 60, 50, 50, 50, 50, 40, 40, 40, 40, 30,
	30, 30, 30, 20, 20, 20, 20, 20, 20, 20, 20,
	10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
	10, 10,
};
static const char *given_m[] = {
	"建", "国", "军", "华", "明", "强", "伟", "勇", "平", "文", "志", "东",
	"海", "林", "刚", "德", "成", "兴", "发", "贵", "福", "云", "波", "超",
	"杰", "涛", "斌", "俊", "辉", "鹏", "宇", "浩", "进", "宝", "荣", "顺",
	"龙", "春", "江", "远", "安", "祥", "洪", "三",
};
static const char *given_f[] = {
	"秀", "英", "兰", "芳", "丽", "梅", "红", "玉", "凤", "珍", "琼", "霞",
	"燕", "桂", "花", "春", "娟", "敏", "静", "婷", "雪", "艳", "莉", "娜",
	"琳", "萍", "云", "香", "菊", "莲", "翠", "群", "珊", "慧",
};
/* Married in from far away; the dot is what exports mangle. */
static const char *dotted_f[] = {
	"阿依古丽·买买提", "热依拉·艾力", "古丽娜尔·吐尔逊", "迪丽娜·阿布都",
};
static const char *dotted_m[] = {
	"买买提·艾山", "艾力·库尔班", "阿布都·热合曼",
};
static const char *dot_variant[] = { "·", "•", ".", "・" };

/* Same syllable and tone: what a hotline operator types from hearing. */
static const char *homophone[][2] = {
	{ "张", "章" }, { "杨", "阳" }, { "李", "里" }, { "黄", "皇" },
	{ "周", "舟" }, { "田", "甜" }, { "彭", "鹏" }, { "龙", "隆" },
	{ "向", "项" }, { "刘", "留" }, { "陈", "辰" }, { "王", "汪" },
	{ "石", "时" }, { "何", "和" }, { "胡", "湖" }, { "三", "珊" },
	{ "明", "鸣" }, { "丽", "莉" }, { "英", "鹰" }, { "军", "君" },
	{ "芳", "方" }, { "红", "洪" }, { "平", "萍" }, { "秀", "绣" },
	{ "兰", "蓝" }, { "林", "琳" }, { "梅", "玫" }, { "文", "雯" },
	{ "静", "靖" }, { "玉", "钰" }, { "刚", "钢" }, { "伟", "玮" },
	{ "云", "芸" }, { "桂", "贵" }, { "珍", "真" }, { "建", "剑" },
};
static const char *traditional[][2] = {
	{ "张", "張" }, { "刘", "劉" }, { "陈", "陳" }, { "杨", "楊" },
	{ "吴", "吳" }, { "龙", "龍" }, { "黄", "黃" }, { "罗", "羅" },
	{ "赵", "趙" }, { "孙", "孫" }, { "邓", "鄧" }, { "谢", "謝" },
	{ "华", "華" }, { "国", "國" }, { "军", "軍" }, { "红", "紅" },
	{ "兰", "蘭" }, { "丽", "麗" }, { "凤", "鳳" }, { "云", "雲" },
	{ "贵", "貴" }, { "发", "發" }, { "兴", "興" }, { "东", "東" },
	{ "伟", "偉" }, { "强", "強" }, { "涛", "濤" }, { "辉", "輝" },
	{ "鹏", "鵬" }, { "进", "進" }, { "宝", "寶" }, { "荣", "榮" },
};

static int surname_pick(void)
{
	return rweight(surname_w, (int)NELEM(surname_w));
}

static void
make_name(char *out, size_t n, int sn, char sex)
{
	const char **g = sex == 'M' ? given_m : given_f;
	size_t ng = sex == 'M' ? NELEM(given_m) : NELEM(given_f);

	if (chance(0.15))
		snprintf(out, n, "%s%s", surname[sn], g[rint_in(0, ng - 1)]);
	else
		snprintf(out, n, "%s%s%s", surname[sn], g[rint_in(0, ng - 1)],
		    g[rint_in(0, ng - 1)]);
}

static void
make_phone(char *out)
{
	static const char *pre[] = {
		"135", "136", "138", "139", "150", "151", "152", "157", "158",
		"159", "177", "180", "181", "182", "187", "189", "199",
	};

	snprintf(out, 12, "%s%08d", PICK(pre), rint_in(0, 99999999));
}

/* ---- ID numbers ---- */

static const char *region[] = { "500241", "500242", "500243", "522229",
    "650102" };
#define ID_DAY0		(-25567L)	/* 1900-01-01 */
#define ID_DAYS		47500
static uint16_t *id_used;	/* per region, day and sex: IDs handed out */

/*
 * A fresh valid ID; the sequence number is offset per day so that the
 * county's IDs do not all end in 001, and bumped to the next day in the
 * (rare) case that a day's 500 numbers are used up.
 */
static void
make_id(char out[19], int reg, long *birth, char sex)
{
	uint16_t *u;
	int y, m, d, s;

	for (;;) {
		u = &id_used[(reg * ID_DAYS + (*birth - ID_DAY0)) * 2 +
		    (sex == 'M')];
		if (*u < 500)
			break;
		(*birth)++;
	}
	s = (int)(((unsigned long)(*birth - ID_DAY0) * 2654435761u + reg * 97 +
	    *u) % 500);
	(*u)++;
	civil_from_days(*birth, &y, &m, &d);
	snprintf(out, 19, "%s%04d%02d%02d%03d", region[reg], y, m, d,
	    s * 2 + (sex == 'M'));
	out[17] = id_check_char(out);
	out[18] = '\0';
}

/* How much damage a file's IDs suffer (sources.md, "Quirks"). */
struct damage {
	double empty;	/* column left empty */
	double sci;	/* Excel: 5.00241E+17 */
	double zero;	/* Excel: digits after the 15th zeroed */
	double old15;	/* the pre-1999 15-digit form, for those born 19xx */
	double typo;	/* one digit wrong or two swapped */
	double lowx;	/* x for X */
	double fullw;	/* full-width digits */
	double apos;	/* Excel's text marker */
	double space;	/* a space or tab somewhere */
};

static const char *
id_as(char *b, size_t n, const char *id, const struct damage *dm)
{
	char t[19];
	int i, k;
	size_t o = 0;

	if (chance(dm->empty)) {
		b[0] = '\0';
		return b;
	}
	if (id[17] != 'X' && chance(dm->sci)) {
		snprintf(b, n, "%c.%.5sE+17", id[0], id + 1);
		return b;
	}
	if (id[17] != 'X' && chance(dm->zero)) {
		snprintf(b, n, "%.15s000", id);
		return b;
	}
	memcpy(t, id, 19);
	if (id[6] == '1' && id[7] == '9' && chance(dm->old15)) {
		snprintf(b, n, "%.6s%.9s", id, id + 8);
		return b;
	}
	if (chance(dm->typo)) {
		k = rint_in(6, 15);
		if (chance(0.5) && t[k] != t[k + 1]) {
			char c = t[k];

			t[k] = t[k + 1];
			t[k + 1] = c;
		} else
			t[k] = '0' + (t[k] - '0' + rint_in(1, 9)) % 10;
	}
	if (t[17] == 'X' && chance(dm->lowx))
		t[17] = 'x';
	if (chance(dm->apos))
		b[o++] = '\'';
	if (chance(dm->fullw)) {
		for (i = 0; i < 18 && o + 4 < n; i++) {
			if (t[i] >= '0' && t[i] <= '9') {
				/* U+FF10 + digit */
				b[o++] = (char)0xEF, b[o++] = (char)0xBC;
				b[o++] = (char)(0x90 + t[i] - '0');
			} else
				b[o++] = t[i];
		}
		b[o] = '\0';
		return b;
	}
	if (chance(dm->space)) {
		k = rint_in(0, 2);
		o += snprintf(b + o, n - o, k == 0 ? "%.6s %s" : "%.18s%s",
		    t, k == 0 ? t + 6 : k == 1 ? " " : "\t");
		return b;
	}
	snprintf(b + o, n - o, "%s", t);
	return b;
}

/* Replace the first character found in table (50% per hit). */
static void
swap_char(char *name, size_t n, const char *table[][2], size_t nt)
{
	char out[64];
	size_t i;
	char *p;

	for (i = 0; i < nt; i++) {
		if ((p = strstr(name, table[i][0])) == NULL || !chance(0.5))
			continue;
		snprintf(out, sizeof out, "%.*s%s%s", (int)(p - name), name,
		    table[i][1], p + strlen(table[i][0]));
		snprintf(name, n, "%s", out);
		return;
	}
}

/*
 * The name as a clerk typed it: padded, with a full-width space to line
 * two-character names up with three-character ones, a look-alike dot.
 */
static const char *
name_as(char *b, size_t n, const char *name, double pad)
{
	const char *dot;
	size_t len = strlen(name);

	if ((dot = strstr(name, "·")) != NULL && chance(0.5)) {
		snprintf(b, n, "%.*s%s%s", (int)(dot - name), name,
		    PICK(dot_variant), dot + strlen("·"));
		return b;
	}
	if (!chance(pad))
		snprintf(b, n, "%s", name);
	else if (len == 6 && chance(0.6))
		snprintf(b, n, "%.3s　%s", name, name + 3);
	else
		snprintf(b, n, chance(0.5) ? " %s" : "%s  ", name);
	return b;
}

/* ---- the latent truth ---- */

enum rel { R_HEAD, R_SPOUSE, R_CHILD, R_PARENT, R_GRANDCHILD, R_OTHER };
static const char *rel_name[] = { "户主", "配偶", "子女", "父母", "孙子女",
    "其他" };

enum work { W_NONE, W_FARM, W_MIGRANT, W_LOCAL, W_FLEX, W_RETIRED,
    W_STUDENT, W_CHILD };
enum stage { S_NONE, S_PRE, S_COMP, S_HIGH, S_VOC, S_UNI };
static const char *stage_name[] = { "", "学前", "义务教育", "高中", "中职",
    "高校" };
enum ill { I_NONE, I_SMALL, I_CHRONIC, I_GRAVE };

static const char *dis_kind_name[] = { "视力", "听力", "言语", "肢体", "智力",
    "精神", "多重" };
static const int dis_kind_w[] = { 12, 12, 2, 50, 8, 8, 8 };
enum { DK_INTELLECT = 4, DK_MENTAL = 5 };
static const char *grade_name[] = { "", "一级", "二级", "三级", "四级" };
enum { SC_FULL, SC_PART, SC_NONE };
static const char *selfcare_name[] = { "完全自理", "部分自理", "不能自理" };

/* Programmes (bits) and hardship reasons (bits, in output order). */
enum { P_DIBAO = 1, P_TEKUN = 2, P_EDGE = 4, P_MONITOR = 8, P_ZHICHU = 16 };
enum { RS_DIBAO, RS_TEKUN, RS_MEDICAL, RS_EDUCATION, RS_RIGID, RS_ALONE,
    RS_UNSTABLE, RS_REJECTED, RS_HOTLINE, RS_DISASTER, RS_SUDDEN, RS_N };
static const char *reason_code[RS_N] = { "dibao", "tekun", "medical",
    "education", "rigid", "alone", "unstable", "rejected", "hotline",
    "disaster", "sudden" };

enum loss { L_NONE, L_MINOR, L_SEVERE, L_COLLAPSED };
static const char *loss_name[] = { "无", "一般损坏", "严重损坏", "倒塌" };

struct person {
	char id[19];
	char name[48];
	char sex;		/* 'M' or 'F' */
	int age, rel, ethnic;
	long birth;
	int work;
	double inc0, inc;	/* annual income before / after this year */
	int lost;		/* lost work in the last 180 days */
	long lost_day;
	int ins_stop;		/* social insurance interrupted */
	int dis_kind, dis_grade, selfcare, dis_cert;
	long dis_day;
	int ill, sudden;	/* sudden: grave, diagnosed lately */
	long ill_day;
	double oop;		/* 12-month out-of-pocket */
	int stage;
	double fee;
	int aided;
	int dead;
	long death_day;
	char phone[12];
	/* what the exports showed about this person (evidence) */
	int seen, seen_dis, seen_lost, seen_hh;
};

struct hh {
	int idx;
	char code[16];
	int town, village, urban;
	double std;		/* dibao standard per person per month */
	int n;
	struct person p[MAXP];
	int nlive, supporter, ethnic, group, doorno;
	double inc0, inc;	/* annual household income */
	double oop, fees;
	unsigned prog;
	long prog_since;
	int mon_kind;
	int dst, dst_loss, dst_reloc;	/* disaster event index + 1 */
	long dst_day;
	int earner_died;
	int rejected, help_call, visit, noise_call, noise_visit,
	    noise_reject, noise_unemp, pending;
	unsigned base;		/* reasons that need no report */
	unsigned reasons;
	unsigned evidence;	/* reasons the exports show */
	int traces;
	/*
	 * What the exports stated: the income per person per month an
	 * officer would read (roster, else the latest application that
	 * gave one, else the monitoring list; < 0 when none did), the
	 * date of that application, whether a programme list names the
	 * household, and the school fees exported.
	 */
	double st_roster, st_app, st_mon;
	long st_app_day;
	int seen_prog;
	double seen_fees;
};

static struct event {
	const char *kind;
	long day;
	int town, village;	/* village -1: the whole town */
	double p;
	int loss_w[4];
} events[8];
static int nevents;

static const char *ethnic_name[] = { "汉族", "土家族", "苗族", "维吾尔族" };

static double
pc_month(const struct hh *h, double income)
{
	return h->nlive > 0 ? income / 12 / h->nlive : 1e9;
}

static struct person *
add_person(struct hh *h, int rel, int age, char sex, int sn)
{
	struct person *p;
	int reg = 0;

	if (h->n >= MAXP)
		return NULL;
	p = &h->p[h->n++];
	memset(p, 0, sizeof *p);
	if (age < 0)
		age = 0;
	p->age = age, p->rel = rel, p->sex = sex;
	p->birth = asof - (long)(age * 365.25) - rint_in(1, 364);
	p->ethnic = chance(0.8) ? h->ethnic : rint_in(0, 2);
	if (rel == R_SPOUSE && chance(0.004)) {
		snprintf(p->name, sizeof p->name, "%s", sex == 'M' ?
		    PICK(dotted_m) : PICK(dotted_f));
		p->ethnic = 3, reg = 4;
	} else {
		make_name(p->name, sizeof p->name, sn, sex);
		if ((rel == R_SPOUSE || rel == R_OTHER) && chance(0.06))
			reg = rint_in(1, 3);
	}
	make_id(p->id, reg, &p->birth, sex);
	if (age >= 16 && chance(0.85))
		make_phone(p->phone);
	return p;
}

static char
other_sex(char s)
{
	return s == 'M' ? 'F' : 'M';
}

static void
add_children(struct hh *h, int parent_age, int rel, int k, int sn)
{
	int i, top = parent_age - 20;

	if (top > 24)
		top = 24;
	for (i = 0; i < k && top >= 0; i++)
		add_person(h, rel, rint_in(0, top), chance(0.52) ? 'M' : 'F',
		    sn);
}

static void
make_members(struct hh *h)
{
	static const int shape_w[] = { 9, 10, 8, 8, 40, 21, 4 };
	int sn = surname_pick(), a;
	char sex = chance(0.8) ? 'M' : 'F';

	switch (rweight(shape_w, (int)NELEM(shape_w))) {
	case 0:		/* old, alone */
		add_person(h, R_HEAD, (int)rskew(65, 96), chance(0.55) ?
		    'F' : 'M', sn);
		break;
	case 1:		/* old couple */
		a = rint_in(60, 88);
		add_person(h, R_HEAD, a, 'M', sn);
		add_person(h, R_SPOUSE, a + rint_in(-6, 2), 'F',
		    surname_pick());
		break;
	case 2:		/* one adult */
		add_person(h, R_HEAD, rint_in(22, 64), sex, sn);
		break;
	case 3:		/* couple whose children have left */
		a = rint_in(45, 64);
		add_person(h, R_HEAD, a, 'M', sn);
		add_person(h, R_SPOUSE, a + rint_in(-5, 2), 'F',
		    surname_pick());
		break;
	case 4:		/* couple with children */
		a = rint_in(25, 55);
		add_person(h, R_HEAD, a, sex, sn);
		add_person(h, R_SPOUSE, a + rint_in(-4, 4), other_sex(sex),
		    surname_pick());
		add_children(h, a, R_CHILD, chance(0.45) ? 1 : chance(0.8) ?
		    2 : 3, sn);
		break;
	case 5:		/* three generations */
		a = rint_in(28, 52);
		add_person(h, R_HEAD, a, 'M', sn);
		add_person(h, R_SPOUSE, a + rint_in(-4, 2), 'F',
		    surname_pick());
		add_children(h, a, R_CHILD, chance(0.6) ? 1 : 2, sn);
		add_person(h, R_PARENT, a + rint_in(22, 32), 'M', sn);
		if (chance(0.6))
			add_person(h, R_PARENT, a + rint_in(20, 30), 'F',
			    surname_pick());
		if (chance(0.05))
			add_person(h, R_OTHER, rint_in(18, 60), sex,
			    surname_pick());
		break;
	default:	/* grandparents bringing up grandchildren */
		a = rint_in(56, 78);
		add_person(h, R_HEAD, a, 'M', sn);
		if (chance(0.6))
			add_person(h, R_SPOUSE, a + rint_in(-4, 2), 'F',
			    surname_pick());
		add_children(h, a - 25, R_GRANDCHILD, chance(0.5) ? 1 : 2,
		    sn);
		break;
	}
}

static void
gen_disability(struct person *p)
{
	static const int grade_w[] = { 10, 20, 30, 40 };
	double pr = p->age < 18 ? 0.015 : p->age < 60 ? 0.04 :
	    p->age < 80 ? 0.10 : 0.18;

	if (!chance(pr))
		return;
	p->dis_kind = rweight(dis_kind_w, (int)NELEM(dis_kind_w));
	p->dis_grade = rweight(grade_w, 4) + 1;
	switch (p->dis_grade) {
	case 1:
		p->selfcare = chance(0.6) ? SC_NONE : SC_PART;
		break;
	case 2:
		p->selfcare = chance(0.3) ? SC_NONE : chance(0.7) ? SC_PART :
		    SC_FULL;
		break;
	case 3:
		p->selfcare = chance(0.4) ? SC_PART : SC_FULL;
		break;
	default:
		p->selfcare = chance(0.1) ? SC_PART : SC_FULL;
	}
	p->dis_cert = chance(0.85);
	p->dis_day = p->birth + 365 * 3 + (long)(runi() *
	    (asof - p->birth - 365 * 3));
	if (p->dis_day < days_from_civil(2008, 1, 1))
		p->dis_day = days_from_civil(2008, 1, 1) + rint_in(0, 3000);
}

static void
gen_illness(struct person *p)
{
	double chronic = p->age < 18 ? 0.01 : p->age < 45 ? 0.04 :
	    p->age < 60 ? 0.12 : p->age < 75 ? 0.25 : 0.32;
	double grave = p->age < 18 ? 0.001 : p->age < 45 ? 0.004 :
	    p->age < 60 ? 0.012 : 0.025;

	if (chance(grave)) {
		p->ill = I_GRAVE;
		p->sudden = chance(0.15);
		p->ill_day = p->sudden ? recent(10, 90) : recent(91, 900);
		p->oop = rskew(8000, 70000);
		if (p->sudden)
			p->oop *= 0.7;
	} else if (chance(chronic)) {
		p->ill = I_CHRONIC;
		p->ill_day = recent(200, 4000);
		p->oop = rskew(800, 8000);
	} else if (chance(0.04)) {
		p->ill = I_SMALL;
		p->ill_day = recent(1, 360);
		p->oop = rrange(60, 1800);
	}
}

static void
gen_school(struct hh *h, struct person *p)
{
	double uni = h->urban ? 0.5 : 0.35, r = runi();

	if (p->age < 3)
		p->work = W_CHILD;
	else if (p->age < 6)
		p->stage = chance(0.8) ? S_PRE : S_NONE;
	else if (p->age < 16)
		p->stage = S_COMP;
	else if (p->age < 19)
		p->stage = r < 0.55 ? S_HIGH : r < 0.8 ? S_VOC : S_NONE;
	else if (p->age < 23)
		p->stage = r < uni ? S_UNI : S_NONE;
	if (p->stage != S_NONE)
		p->work = W_STUDENT;
	switch (p->stage) {
	case S_PRE:	p->fee = rrange(1200, 3600); break;
	case S_COMP:	p->fee = chance(0.3) ? rrange(300, 900) : 0; break;
	case S_HIGH:	p->fee = rrange(1600, 3600); break;
	case S_VOC:	p->fee = chance(0.5) ? rrange(600, 1800) : 0; break;
	case S_UNI:	p->fee = rrange(5500, 12000); break;
	}
}

/* Severely disabled: grade 1-2, or 3 intellectual/mental (sources.md). */
static int
severe(const struct person *p)
{
	return p->dis_grade == 1 || p->dis_grade == 2 || (p->dis_grade == 3 &&
	    (p->dis_kind == DK_INTELLECT || p->dis_kind == DK_MENTAL));
}

/* Able to work in the sense of the 特困 rules (sources.md). */
static int
able(const struct person *p)
{
	if (p->age < 16 || p->age >= 60)
		return 0;
	return !severe(p);
}

/* Still fit for the fields. */
static int
able_old(const struct person *p)
{
	return p->ill != I_GRAVE && (p->dis_grade == 0 || p->dis_grade == 4);
}

static void
gen_work(struct hh *h, struct person *p)
{
	static const int rural_w[] = { 3, 25, 50, 18, 4 };
	static const int urban_w[] = { 5, 3, 7, 60, 25 };
	double inc = 0;

	if (p->work == W_STUDENT || p->work == W_CHILD)
		return;
	if (p->age < 16) {
		p->work = W_CHILD;
		return;
	}
	if (p->age >= 60) {
		p->work = h->urban && chance(0.3) ? W_RETIRED :
		    !h->urban && p->age < 76 && able_old(p) && chance(0.7) ?
		    W_FARM : W_NONE;
		inc = p->work == W_RETIRED ? rrange(24000, 48000) :
		    rrange(2000, 3000);
		if (p->work == W_FARM)
			inc += rskew(4000, 14000);
	} else if (!able(p) || p->ill == I_GRAVE) {
		p->work = W_NONE;
		inc = rrange(0, 1500);
	} else {
		p->work = rweight(h->urban ? urban_w : rural_w, 5);
		switch (p->work) {
		case W_FARM:	inc = rrange(10000, 28000); break;
		case W_MIGRANT:	inc = rskew(28000, 65000); break;
		case W_LOCAL:	inc = h->urban ? rskew(30000, 75000) :
				    rskew(18000, 42000); break;
		case W_FLEX:	inc = rskew(15000, 40000); break;
		default:	inc = rrange(0, 2000);
		}
		if (p->dis_grade >= 3)
			inc *= 0.6;
		if (p->ill == I_CHRONIC)
			inc *= 0.8;
	}
	p->inc0 = p->inc = inc;
}

static double
mortality(const struct person *p)
{
	double m = p->age < 60 ? 0.002 : p->age < 70 ? 0.012 :
	    p->age < 80 ? 0.03 : 0.09;

	return p->ill == I_GRAVE && !p->sudden ? m + 0.1 : m;
}

/* Deaths, lost work and sudden illness: this year's changes. */
static void
gen_events(struct hh *h)
{
	struct person *p, *top = NULL;
	int i;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (top == NULL || p->inc0 > top->inc0)
			top = p;
		if ((p->work == W_MIGRANT || p->work == W_LOCAL ||
		    p->work == W_FLEX) && chance(0.05)) {
			p->lost = 1;
			p->lost_day = recent(10, 180);
			p->ins_stop = p->work != W_FLEX || chance(0.3);
			p->inc = !h->urban && chance(0.6) ?
			    rrange(2000, 6000) : 0;
		} else if (p->work >= W_MIGRANT && p->work <= W_FLEX &&
		    chance(0.01))
			p->ins_stop = 1;
		if (p->sudden && p->age >= 16 && p->age < 60)
			p->inc = 0;
	}
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (!chance(mortality(p)))
			continue;
		p->dead = 1;
		p->death_day = recent(1, 365);
		p->inc = 0;
		if (p == top && p->age < 60 && p->inc0 > 0 &&
		    p->death_day > asof - 180)
			h->earner_died = 1;
	}
}

static void
gen_disaster(struct hh *h)
{
	const struct event *e;
	int i;

	for (i = 0; i < nevents; i++) {
		e = &events[i];
		if (e->town >= 0 && (e->town != h->town || (e->village >= 0 &&
		    e->village != h->village)))
			continue;
		if (!chance(e->p))
			continue;
		h->dst = i + 1;
		h->dst_day = e->day ? e->day : recent(5, 330);
		h->dst_loss = rweight(e->loss_w, 4);
		h->dst_reloc = h->dst_loss >= L_SEVERE ? chance(0.9) :
		    h->dst_loss == L_MINOR && chance(0.2);
		return;
	}
}

static int
all_unable(const struct hh *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (!h->p[i].dead && able(&h->p[i]))
			return 0;
	return 1;
}

static void
sum_household(struct hh *h)
{
	const struct person *p;
	double t;
	int i, young = 0;

	h->inc0 = h->inc = h->oop = h->fees = 0;
	h->nlive = 0;
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		h->inc0 += p->inc0;
		h->oop += p->oop;
		if (p->dead)
			continue;
		h->nlive++;
		h->inc += p->inc;
		h->fees += p->fee;
		young |= p->age < 16;
	}
	/*
	 * Nobody here can work: do children living elsewhere send money?
	 * That is the "supporter" that rules 特困 out.
	 */
	h->supporter = 1;
	if (all_unable(h) && (h->supporter = chance(0.85))) {
		t = young ? rrange(10000, 24000) : rrange(6000, 18000);
		h->inc0 += t, h->inc += t;
	}
}

/*
 * Who is already on a programme.  Decided on last year's income, before
 * this year's deaths, job losses and illnesses: that lag, and imperfect
 * take-up, is what leaves households to be discovered.
 */
static void
enroll(struct hh *h)
{
	double pc = h->inc0 / 12 / h->n;
	int fragile = 0, i;

	for (i = 0; i < h->n; i++)
		fragile |= h->p[i].dis_grade > 0 && h->p[i].dis_grade <= 2;
	if (pc < h->std) {
		if (all_unable(h) && !h->supporter && chance(0.7))
			h->prog |= P_TEKUN;
		else if (chance(0.7))
			h->prog |= P_DIBAO;
	} else if (pc < 1.5 * h->std) {
		if (chance(0.12))
			h->prog |= P_DIBAO;
		else if (chance(0.35))
			h->prog |= P_EDGE;
	} else if (chance(pc < 2 * h->std ? 0.02 : 0.004))
		h->prog |= P_DIBAO;
	if (!h->urban && chance(pc < 2 * h->std || fragile ? 0.2 : 0.015)) {
		h->prog |= P_MONITOR;
		h->mon_kind = rweight((const int[]){ 50, 35, 15 }, 3);
	}
	if (!(h->prog & (P_DIBAO | P_TEKUN)) && h->oop >= 10000 &&
	    chance(0.25)) {
		for (i = 0; i < h->n; i++)
			if (h->p[i].sudden)
				break;
		if (i == h->n)
			h->prog |= P_ZHICHU;
	}
	if (h->prog)
		h->prog_since = recent(60, 2900);
}

/* Reasons that hold whatever anyone has reported. */
static unsigned
hardship(struct hh *h)
{
	const struct person *p;
	double pc = pc_month(h, h->inc), left;
	unsigned r = 0;
	int i, aided = 0, sudden_ill = 0, helped;

	if (h->nlive == 0)
		return 0;
	helped = (h->prog & (P_DIBAO | P_TEKUN)) != 0;
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		aided |= p->aided;
		sudden_ill |= p->sudden && !p->dead;
	}
	if (pc < h->std && !helped)
		r |= 1u << RS_DIBAO;
	if (pc < h->std && all_unable(h) && !h->supporter && !helped)
		r |= 1u << RS_TEKUN;
	if ((h->oop >= 10000 && (h->prog || pc < 1.5 * h->std)) ||
	    h->oop >= 26000 || (h->oop > 0 && h->oop >= 0.5 * h->inc))
		r |= 1u << RS_MEDICAL;
	if (h->fees > 0 && h->fees >= 0.4 * h->inc && !aided)
		r |= 1u << RS_EDUCATION;
	left = h->inc - h->oop - h->fees;
	if (pc >= h->std && h->oop + h->fees >= 0.2 * h->inc &&
	    pc_month(h, left) < h->std)
		r |= 1u << RS_RIGID;
	if (h->prog & P_MONITOR) {
		for (i = 0; i < h->n; i++)
			if (!h->p[i].dead && (h->p[i].lost || h->p[i].ins_stop))
				r |= 1u << RS_UNSTABLE;
	}
	if (h->dst_loss == L_COLLAPSED || (h->dst_loss == L_SEVERE &&
	    (pc < 1.5 * h->std || all_unable(h))))
		r |= 1u << RS_DISASTER;
	if (!helped && ((h->earner_died && pc < 1.5 * h->std) || sudden_ill))
		r |= 1u << RS_SUDDEN;
	return r;
}

/* Someone here could not fill in an application alone. */
static int
cannot_apply(const struct hh *h)
{
	const struct person *p;
	int i;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->dead)
			continue;
		if ((h->nlive == 1 && p->age >= 80) || p->selfcare == SC_NONE ||
		    severe(p) || p->ill == I_GRAVE)
			return 1;
	}
	return 0;
}

/*
 * Who calls the hotline, who gets visited, who applied and was turned
 * down: more often the households in need, sometimes the ones that are
 * fine (the misleading single signals).
 */
static void
gen_signals(struct hh *h)
{
	int frail = cannot_apply(h), i;
	double pc = pc_month(h, h->inc);

	if (h->nlive == 0)
		return;
	/*
	 * Need makes the calls and the visit notes: a household with a
	 * reason, or one that cannot apply and is poor without 低保 or 特困
	 * (the "alone" reason to come).  A family whose basic living is
	 * assured and has no other reason is visited as a fine one.
	 */
	if (h->base || (frail && pc < 1.5 * h->std &&
	    !(h->prog & (P_DIBAO | P_TEKUN)))) {
		h->help_call = chance(0.10);
		h->visit = chance(frail ? 0.35 : 0.25);
		h->rejected = chance(0.12);
	} else if (frail)
		h->noise_visit = chance(0.08);
	if (h->dst_loss >= L_SEVERE && chance(0.6))
		h->visit = 1;
	else if (h->dst_loss == L_MINOR && chance(0.3))
		h->noise_visit = 1;
	if (h->base || h->prog || pc < 2 * h->std)
		return;
	/* A family that is fine. */
	h->noise_call = chance(0.012) ? 1 + chance(0.2) : 0;
	h->noise_visit |= chance(0.01);
	h->noise_reject = chance(0.012);
	h->pending = chance(0.003);
	if (pc > 3 * h->std && chance(0.02)) {
		for (i = 0; i < h->n; i++)
			if (!h->p[i].dead && h->p[i].age >= 20 &&
			    h->p[i].age < 55)
				h->noise_unemp = i + 1;
	}
}

static void
final_reasons(struct hh *h)
{
	unsigned r = h->base;
	double pc = pc_month(h, h->inc);

	if (h->nlive > 0 && cannot_apply(h) &&
	    !(h->prog & (P_DIBAO | P_TEKUN)) &&
	    (h->help_call || h->visit || pc < 1.5 * h->std ||
	    (h->base & 1u << RS_MEDICAL)))
		r |= 1u << RS_ALONE;
	if (r && h->rejected)
		r |= 1u << RS_REJECTED;
	if (r && (h->help_call || h->visit))
		r |= 1u << RS_HOTLINE;
	h->reasons = r;
}

static void
gen_household(struct hh *h, int idx)
{
	int i;

	memset(h, 0, sizeof *h);
	h->idx = idx;
	snprintf(h->code, sizeof h->code, "H%06d", idx + 1);
	h->st_roster = h->st_app = h->st_mon = -1;
	h->town = rweight(town_w, NTOWN);
	h->village = rint_in(0, nvill[h->town] - 1);
	h->urban = towns[h->town].urban;
	h->std = h->urban ? 770 : 630;
	h->ethnic = rweight((const int[]){ 40, 50, 10 }, 3);
	h->group = rint_in(1, 12), h->doorno = rint_in(1, 180);
	make_members(h);
	for (i = 0; i < h->n; i++) {
		gen_disability(&h->p[i]);
		gen_illness(&h->p[i]);
		gen_school(h, &h->p[i]);
		gen_work(h, &h->p[i]);
	}
	gen_events(h);
	gen_disaster(h);
	sum_household(h);
	enroll(h);
	for (i = 0; i < h->n; i++)
		if (h->p[i].stage != S_NONE)
			h->p[i].aided = chance(h->prog & ~P_ZHICHU ? 0.85 :
			    h->p[i].stage == S_COMP ? 0.3 : 0.08);
	h->base = hardship(h);
	gen_signals(h);
	final_reasons(h);
}

/* ---- output files ---- */

enum { F_ROSTER, F_MEDICAL, F_EMPLOY, F_DISAB, F_MONITOR, F_APPS,
    F_HOTLINE, F_VISIT, F_DISASTER, F_DEATH, F_EDU, NFILES };

struct srow {
	long long key;
	char *text;
	size_t len;
	char person[19];
};

struct spec {
	const char *name;
	const char *header;
	int gb;			/* written as GB18030 */
	int bom;
	const char *eol;
	int sorted;		/* rows kept and sorted by date at the end */
};

static struct out {
	struct spec sp;
	FILE *fp;
	iconv_t cd;
	long line;		/* physical line the next row starts on */
	char *buf;		/* UTF-8 waiting for conversion */
	size_t len, cap;
	struct srow *rows;
	size_t nrows, caprows;
} outs[NFILES];

static const struct spec specs[NFILES] = {
	{ "roster.csv", "户编号,户主姓名,姓名,身份证号码,与户主关系,性别,"
	    "出生日期,民族,乡镇（街道）,村（社区）,家庭住址,联系电话,人员类别,"
	    "纳入日期,家庭人口数,家庭年收入（元）,家庭月人均收入（元）",
	    0, 1, "\n", 0 },
	{ "medical.csv", "结算编号,参保人姓名,身份证号码,参保类型,就诊医院,"
	    "入院日期,出院日期,疾病诊断,医疗总费用,统筹基金支付,大病保险支付,"
	    "医疗救助支付,个人自付", 1, 0, "\n", 0 },
	{ "employment.csv", "姓名,身份证号码,登记类型,登记日期,原工作单位,"
	    "是否领取失业保险金,社保缴费状态,中断起始月份", 0, 0, "\n", 0 },
	{ "disability.csv", "姓名,身份证号码,残疾类别,残疾等级,发证日期,"
	    "生活自理能力,乡镇（街道）,村（社区）", 1, 0, "\n", 0 },
	{ "monitor.csv", "户编号,户主姓名,姓名,身份证号码,与户主关系,"
	    "监测对象类别,主要风险,家庭人均纯收入（元/年）,风险是否消除,"
	    "乡镇（街道）,村（社区）", 0, 0, "\n", 0 },
	{ "applications.csv", "申请编号,申请人姓名,身份证号码,申请日期,"
	    "申请类别,审核结果,不予批准原因,家庭月人均收入（元）,乡镇（街道）,"
	    "村（社区）", 0, 0, "\n", 1 },
	{ "hotline.csv", "工单编号,来电时间,来电人姓名,联系电话,身份证号码,"
	    "所属乡镇,所属村（社区）,诉求类别,诉求内容,办理状态",
	    0, 0, "\r\n", 1 },
	{ "visit.csv", "走访日期,协理员,乡镇（街道）,村（社区）,被走访人姓名,"
	    "身份证号码,联系电话,家庭住址,困难类型,紧急程度,情况说明",
	    0, 0, "\n", 1 },
	{ "disaster.csv", "灾害类型,发生日期,乡镇（街道）,村（社区）,户主姓名,"
	    "身份证号码,家庭人口数,房屋损失,是否转移安置,联系电话",
	    0, 0, "\n", 1 },
	{ "death.csv", "姓名,身份证号码,死亡日期,乡镇（街道）", 0, 0, "\n", 1 },
	{ "education.csv", "学生姓名,身份证号码,学段,学校,年度学杂费（元）,"
	    "是否已享受资助", 0, 0, "\n", 0 },
};

static FILE *identity, *truth, *latent;

static void
out_flush(struct out *o)
{
	char tmp[1 << 16], *in = o->buf, *op;
	size_t inleft = o->len, oleft;

	while (inleft > 0) {
		op = tmp, oleft = sizeof tmp;
		if (iconv(o->cd, &in, &inleft, &op, &oleft) == (size_t)-1 &&
		    errno != E2BIG)
			die("%s: iconv: %s", o->sp.name, strerror(errno));
		fwrite(tmp, 1, op - tmp, o->fp);
	}
	o->len = 0;
}

/* Text of whole rows; person is whom the row is about (NULL: no row). */
static void
out_put(struct out *o, const char *s, size_t n, const char *person)
{
	size_t i;

	if (person != NULL)
		fprintf(identity, "%s\t%ld\t%s\n", o->sp.name, o->line, person);
	for (i = 0; i < n; i++)
		o->line += s[i] == '\n';
	if (!o->sp.gb) {
		fwrite(s, 1, n, o->fp);
		return;
	}
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2;
		o->buf = xrealloc(o->buf, o->cap);
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	if (o->len > (1 << 20))
		out_flush(o);
}

static void
out_text(struct out *o, const char *s)
{
	out_put(o, s, strlen(s), NULL);
	out_put(o, o->sp.eol, strlen(o->sp.eol), NULL);
}

static void
out_open(const char *dir, struct out *o, const struct spec *sp)
{
	char path[4096];

	o->sp = *sp;
	snprintf(path, sizeof path, "%s/%s", dir, o->sp.name);
	if ((o->fp = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	setvbuf(o->fp, NULL, _IOFBF, 1 << 20);
	o->line = 1;
	if (o->sp.gb && (o->cd = iconv_open("GB18030", "UTF-8")) == (iconv_t)-1)
		die("iconv_open GB18030: %s", strerror(errno));
	if (o->sp.bom)
		fputs("\xEF\xBB\xBF", o->fp);
}

/* One CSV row under construction. */
static struct {
	char *s;
	size_t len, cap;
	int nf;
	long long key;
} R;

static void
rb_raw(const char *s, size_t n)
{
	if (R.len + n + 1 > R.cap) {
		R.cap = (R.len + n + 1) * 2;
		R.s = xrealloc(R.s, R.cap);
	}
	memcpy(R.s + R.len, s, n);
	R.len += n;
	R.s[R.len] = '\0';
}

static void
row_start(long long key)
{
	R.len = 0, R.nf = 0, R.key = key;
}

/* A field, quoted the way Excel quotes when it has to. */
static void
fld(const char *s)
{
	const char *p;

	if (R.nf++ > 0)
		rb_raw(",", 1);
	if (strpbrk(s, ",\"\r\n") == NULL) {
		rb_raw(s, strlen(s));
		return;
	}
	rb_raw("\"", 1);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			rb_raw("\"", 1);
		rb_raw(p, 1);
	}
	rb_raw("\"", 1);
}

static void
fldf(const char *fmt, ...)
{
	char b[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	fld(b);
}

static void
row_end(struct hh *h, int f, const char *person)
{
	struct out *o = &outs[f];
	struct srow *r;
	int i;

	rb_raw(o->sp.eol, strlen(o->sp.eol));
	h->traces++;
	for (i = 0; i < h->n; i++)
		if (strcmp(h->p[i].id, person) == 0)
			h->p[i].seen = 1;
	if (!o->sp.sorted) {
		out_put(o, R.s, R.len, person);
		return;
	}
	if (o->nrows == o->caprows) {
		o->caprows = o->caprows ? o->caprows * 2 : 1024;
		o->rows = xrealloc(o->rows, o->caprows * sizeof *o->rows);
	}
	r = &o->rows[o->nrows];
	r->key = R.key << 24 | (long long)o->nrows;
	r->text = xrealloc(NULL, R.len);
	memcpy(r->text, R.s, R.len);
	r->len = R.len;
	snprintf(r->person, sizeof r->person, "%s", person);
	o->nrows++;
}

static int
srow_cmp(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* trailer: what Excel leaves below the data (a totals row, empty rows). */
static void
out_close(struct out *o, const char *trailer)
{
	size_t i;

	if (o->nrows > 0)
		qsort(o->rows, o->nrows, sizeof *o->rows, srow_cmp);
	for (i = 0; i < o->nrows; i++) {
		out_put(o, o->rows[i].text, o->rows[i].len, o->rows[i].person);
		free(o->rows[i].text);
	}
	free(o->rows);
	if (trailer != NULL)
		out_put(o, trailer, strlen(trailer), NULL);
	if (o->sp.gb)
		out_flush(o);
	if (fclose(o->fp) != 0)
		die("%s: %s", o->sp.name, strerror(errno));
}

/* ---- the exports, one function each ---- */

static const struct damage dm_medical = { .sci = 0.003, .zero = 0.002,
    .typo = 0.01, .lowx = 0.3, .space = 0.005 };
static const struct damage dm_employ = { .sci = 0.002, .zero = 0.003,
    .typo = 0.01, .lowx = 0.3, .apos = 0.03 };
static const struct damage dm_disab = { .sci = 0.002, .zero = 0.003,
    .old15 = 0.05, .typo = 0.01, .lowx = 0.5, .space = 0.01 };
static const struct damage dm_monitor = { .typo = 0.01, .lowx = 0.2 };
static const struct damage dm_apps = { .typo = 0.01, .lowx = 0.2,
    .space = 0.01 };
static const struct damage dm_hotline = { .empty = 0.85, .fullw = 0.1,
    .typo = 0.02, .lowx = 0.5 };
static const struct damage dm_visit = { .empty = 0.4, .fullw = 0.05,
    .typo = 0.01, .lowx = 0.5, .space = 0.02 };
static const struct damage dm_disaster = { .empty = 0.2, .sci = 0.003,
    .zero = 0.002, .typo = 0.01 };
static const struct damage dm_death = { .old15 = 0.08, .typo = 0.005 };
static const struct damage dm_edu = { .sci = 0.003, .zero = 0.003,
    .typo = 0.01, .lowx = 0.2, .apos = 0.02 };

/* Serial numbers; each stays within its printed width up to 999999 households. */
static unsigned roster_seq, settle_seq, app_seq, ticket_seq, monitor_seq;

static const char *
town_of(const struct hh *h)
{
	return towns[h->town].name;
}

static const char *
village_of(const struct hh *h)
{
	return vill[h->town][h->village].name;
}

static const char *
address(char *b, size_t n, const struct hh *h)
{
	if (h->urban)
		snprintf(b, n, "%s%s%s%d号", town_of(h), village_of(h),
		    road[(h->village * 3 + h->group) % NELEM(road)], h->doorno);
	else
		snprintf(b, n, "%s%s%d组%d号", town_of(h), village_of(h),
		    h->group, h->doorno);
	return b;
}

static const struct person *
head(const struct hh *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (!h->p[i].dead)
			return &h->p[i];
	return &h->p[0];
}

static const char *
hh_phone(const struct hh *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (!h->p[i].dead && h->p[i].phone[0] != '\0')
			return h->p[i].phone;
	return "";
}

static const char *
category(unsigned prog)
{
	if (prog & P_TEKUN)
		return "特困人员";
	if (prog & P_DIBAO)
		return "低保对象";
	if (prog & P_EDGE)
		return "低保边缘家庭成员";
	if (prog & P_ZHICHU)
		return "支出型困难家庭成员";
	return "防止返贫监测对象";
}

static void
put_roster(struct hh *h)
{
	const struct person *p, *hd = head(h);
	char b[128], code[48], since[32], inc[32], pc[32];
	/* the income assessed at the last review: before this year's events */
	double rec = h->inc0;
	int i;
	static const int inc_w[] = { 20, 0, 70, 0, 10 };

	if (!(h->prog & ~P_MONITOR) && !(h->prog && chance(0.5)))
		return;
	/* 16 digits: never mistaken for a 15- or 18-digit ID. */
	snprintf(code, sizeof code, "500241%02d%03d%05u", h->town + 1,
	    h->village + 1, ++roster_seq);
	fmt_date(since, sizeof since, h->prog_since, D_SLASH);
	fmt_money(inc, sizeof inc, rec, rweight(inc_w, 5));
	fmt_money(pc, sizeof pc, rec / 12 / h->n, M_PLAIN);
	h->st_roster = rec / 12 / h->n;
	h->seen_prog = 1;
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		/* The register lags: the dead linger in it. */
		if (p->dead && !chance(0.4))
			continue;
		row_start(0);
		fld(code);
		fld(hd->name);
		fld(name_as(b, sizeof b, p->name, 0.01));
		fld(p->id);
		fld(rel_name[p->rel]);
		fld(p->sex == 'M' ? "男" : "女");
		h->p[i].seen_hh = 1;
		fld(fmt_date(b, sizeof b, p->birth, chance(0.9) ? D_ISO :
		    D_SLASH));
		fld(ethnic_name[p->ethnic]);
		fld(town_of(h));
		fld(village_of(h));
		fld(address(b, sizeof b, h));
		fld(p->phone[0] ? p->phone : hh_phone(h));
		fld(category(h->prog));
		fld(since);
		fldf("%d", h->nlive);
		fld(inc);
		fld(pc);
		row_end(h, F_ROSTER, p->id);
	}
}

static const char *diag_small[] = { "急性上呼吸道感染", "急性胃肠炎",
    "腰椎间盘突出症", "桡骨远端骨折", "社区获得性肺炎", "急性支气管炎" };
static const char *diag_chronic[] = { "高血压病", "2型糖尿病",
    "慢性阻塞性肺疾病", "冠状动脉粥样硬化性心脏病", "脑梗死后遗症",
    "类风湿关节炎", "慢性肾炎", "帕金森病" };
static const char *diag_grave[] = { "肺恶性肿瘤", "胃恶性肿瘤",
    "乳腺恶性肿瘤", "肝恶性肿瘤", "慢性肾脏病5期（尿毒症）",
    "急性白血病", "肝硬化失代偿期", "重型颅脑损伤" };
static const char *hosp_county[] = { "秀山县人民医院", "秀山县中医医院",
    "秀山县妇幼保健院" };
static const char *hosp_far[] = { "重庆医科大学附属第一医院",
    "重庆大学附属肿瘤医院", "陆军军医大学第二附属医院", "铜仁市人民医院" };

/* Totals for the 合计 row, in cents. */
static long long med_sum[5];

static void
medical_row(struct hh *h, const struct person *p, long long oop, long day,
    const char *diag)
{
	char b[128], hosp[64];
	int inpatient = p->ill == I_GRAVE || chance(0.25);
	long long tot, rest, crit = 0, aid = 0, fund;
	enum dstyle ds = chance(0.05) ? D_SERIAL : D_SLASH;
	enum mstyle ms = chance(0.1) ? M_COMMA : M_PLAIN;

	tot = llround(oop / (p->ill == I_GRAVE ? rrange(0.2, 0.4) :
	    inpatient ? rrange(0.25, 0.45) : rrange(0.4, 0.7)));
	rest = tot - oop;
	if (p->ill == I_GRAVE)
		crit = llround(rest * rrange(0.15, 0.35));
	if (h->prog & (P_DIBAO | P_TEKUN))
		aid = llround(rest * rrange(0.05, 0.2));
	fund = rest - crit - aid;
	if (p->ill == I_GRAVE)
		snprintf(hosp, sizeof hosp, "%s", chance(0.6) ?
		    PICK(hosp_far) : PICK(hosp_county));
	else if (chance(0.5))
		snprintf(hosp, sizeof hosp, "%s卫生院", town_of(h));
	else
		snprintf(hosp, sizeof hosp, "%s", PICK(hosp_county));
	row_start(0);
	fldf("JS%s%07u", fmt_date(b, sizeof b, day, D_COMPACT), ++settle_seq);
	fld(name_as(b, sizeof b, p->name, 0.03));
	fld(id_as(b, sizeof b, p->id, &dm_medical));
	fld(p->work == W_RETIRED || (h->urban && p->work == W_LOCAL) ?
	    "城镇职工" : "城乡居民");
	fld(hosp);
	fld(inpatient ? fmt_date(b, sizeof b, day - rint_in(2, 25), ds) : "");
	fld(fmt_date(b, sizeof b, day, ds));
	fld(diag);
	fld(fmt_money(b, sizeof b, tot / 100.0, ms));
	fld(fmt_money(b, sizeof b, fund / 100.0, ms));
	fld(fmt_money(b, sizeof b, crit / 100.0, crit ? ms : chance(0.5) ?
	    M_DASH : M_EMPTY));
	fld(fmt_money(b, sizeof b, aid / 100.0, aid ? ms : chance(0.5) ?
	    M_DASH : M_EMPTY));
	fld(fmt_money(b, sizeof b, oop / 100.0, ms));
	row_end(h, F_MEDICAL, p->id);
	med_sum[0] += tot, med_sum[1] += fund, med_sum[2] += crit;
	med_sum[3] += aid, med_sum[4] += oop;
}

/*
 * Several settlements per ill person whose 个人自付 add up, to the fen,
 * to the 12-month burden of the truth.
 */
static void
put_medical(struct hh *h)
{
	const struct person *p;
	const char *diag;
	long long total, part, w[8], wsum;
	long lo, hi;
	int i, k, j;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->ill == I_NONE)
			continue;
		total = llround(p->oop * 100);
		k = p->ill == I_SMALL ? rint_in(1, 2) : p->ill == I_CHRONIC ?
		    rint_in(2, 6) : rint_in(3, 8);
		diag = p->ill == I_SMALL ? PICK(diag_small) :
		    p->ill == I_CHRONIC ? PICK(diag_chronic) : PICK(diag_grave);
		/* Bills fall inside the 12 months, and before any death. */
		hi = p->dead ? p->death_day : asof - 1;
		lo = p->ill == I_SMALL || p->sudden ? p->ill_day : asof - 364;
		if (lo > hi - 1)
			lo = hi - 1;
		if (lo < asof - 364)
			lo = asof - 364;
		if (hi < lo)
			hi = lo;
		for (j = 0, wsum = 0; j < k; j++)
			wsum += w[j] = rint_in(1, 100);
		for (j = 0; j < k; j++) {
			part = j == k - 1 ? total : total * w[j] / wsum;
			total -= part, wsum -= w[j];
			medical_row(h, p, part, lo + (long)(runi() *
			    (hi - lo + 1)), diag);
		}
	}
}

static const char *employer(char *b, size_t n, const struct hh *h,
    const struct person *p)
{
	static const char *place[] = { "浙江宁波", "广东东莞", "广东佛山",
	    "福建晋江", "重庆", "重庆两江新区", "秀山县", "贵州铜仁",
	    "江苏苏州", "上海" };
	static const char *trade[] = { "制衣", "电子", "建筑工程", "物流",
	    "食品", "五金", "家具", "物业管理", "餐饮管理", "矿业" };
	static const char *brand[] = { "鑫达", "宏远", "恒通", "金利", "华盛",
	    "永兴", "隆鑫", "顺发", "新锐", "佳美" };

	if (p->work == W_FLEX) {
		b[0] = '\0';
		return b;
	}
	snprintf(b, n, "%s%s%s有限公司", p->work == W_LOCAL ? (h->urban ?
	    "秀山县" : town_of(h)) : PICK(place), PICK(brand), PICK(trade));
	return b;
}

static void
employ_row(struct hh *h, const struct person *p, const char *kind,
    long day, int benefit, const char *ins, long ins_day)
{
	char b[128];

	row_start(0);
	fld(name_as(b, sizeof b, p->name, 0.02));
	fld(id_as(b, sizeof b, p->id, &dm_employ));
	fld(kind);
	fld(fmt_date(b, sizeof b, day < asof ? day : asof - 1,
	    chance(0.9) ? D_COMPACT : D_ISO));
	fld(strcmp(kind, "灵活就业") == 0 ? "" : employer(b, sizeof b, h, p));
	fld(benefit ? "是" : "否");
	fld(ins);
	fld(ins_day ? fmt_date(b, sizeof b, ins_day, chance(0.7) ?
	    D_MONTH : D_MONTHC) : "");
	row_end(h, F_EMPLOY, p->id);
}

static void
put_employment(struct hh *h)
{
	struct person *p;
	int i;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->lost && chance(0.5)) {
			employ_row(h, p, "失业登记", p->lost_day + rint_in(0, 25),
			    h->urban && p->work == W_LOCAL && chance(0.5),
			    p->ins_stop ? (chance(0.5) ? "停保" : "中断") : "正常",
			    p->ins_stop ? p->lost_day : 0);
			p->seen_lost = 1;
		} else if (p->ins_stop && chance(p->lost ? 0.4 : 0.8)) {
			employ_row(h, p, p->work == W_FLEX ? "灵活就业" :
			    "就业登记", recent(400, 3000), 0,
			    chance(0.5) ? "停保" : "中断",
			    p->lost ? p->lost_day : recent(20, 150));
			p->seen_lost = 1;
		} else if (p->work >= W_MIGRANT && p->work <= W_FLEX &&
		    chance(0.06))
			employ_row(h, p, p->work == W_FLEX ? "灵活就业" :
			    "就业登记", recent(30, 3000), 0, "正常", 0);
		else if (h->noise_unemp == i + 1)
			employ_row(h, p, "失业登记", recent(10, 120), 1, "正常",
			    0);
	}
}

static void
put_disability(struct hh *h)
{
	const struct person *p;
	char b[128];
	int i;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (!p->dis_grade || !p->dis_cert || (p->dead && chance(0.5)))
			continue;
		row_start(0);
		fld(name_as(b, sizeof b, p->name, 0.04));
		fld(id_as(b, sizeof b, p->id, &dm_disab));
		fld(dis_kind_name[p->dis_kind]);
		fld(grade_name[p->dis_grade]);
		fld(fmt_date(b, sizeof b, p->dis_day, chance(0.85) ? D_CN :
		    D_ISO));
		fld(selfcare_name[p->selfcare]);
		fld(town_of(h));
		fld(chance(0.95) ? village_of(h) : "");
		row_end(h, F_DISAB, p->id);
		h->p[i].seen_dis = 1;
	}
}

static const char *
risks(char *b, size_t n, const struct hh *h)
{
	const char *sep = chance(0.7) ? "、" : ",";
	const struct person *p;
	int ill = 0, dis = 0, uni = 0, mig = 0, i;
	size_t o = 0;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		ill |= p->ill >= I_CHRONIC;
		dis |= p->dis_grade > 0;
		uni |= p->stage >= S_HIGH;
		mig |= p->work == W_MIGRANT;
	}
	b[0] = '\0';
#define ADD(c, s) if (c) o += snprintf(b + o, n - o, "%s%s", o ? sep : "", s)
	ADD(ill, "因病");
	ADD(dis, "因残");
	ADD(uni, "因学");
	ADD(h->dst, "因灾");
	ADD(mig, "因务工就业不稳");
	ADD(all_unable(h), "缺劳动力");
	ADD(o == 0, "其他");
#undef ADD
	return b;
}

static void
put_monitor(struct hh *h)
{
	static const char *kind[] = { "脱贫不稳定户", "边缘易致贫户",
	    "突发严重困难户" };
	const struct person *p, *hd = head(h);
	char b[128], code[48], rk[128], inc[32];
	double pcy = h->inc0 / h->n * rrange(0.9, 1.2);
	int i, cleared = pcy > 24 * h->std ? chance(0.7) : chance(0.1);
	int yn = chance(0.1);
	enum mstyle ms;

	if (!(h->prog & P_MONITOR))
		return;
	snprintf(code, sizeof code, "JC%04d%06u", asof_year - 2,
	    ++monitor_seq);
	risks(rk, sizeof rk, h);
	ms = chance(0.1) ? M_WAN : chance(0.7) ? M_COMMA : M_INT;
	fmt_money(inc, sizeof inc, pcy, ms);
	h->st_mon = (ms == M_WAN && pcy >= 10000 ? round(pcy / 1000) * 1000 :
	    pcy) / 12;
	h->seen_prog = 1;
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->dead && !chance(0.3))
			continue;
		row_start(0);
		fld(code);
		fld(hd->name);
		fld(name_as(b, sizeof b, p->name, 0.02));
		fld(id_as(b, sizeof b, p->id, &dm_monitor));
		fld(rel_name[p->rel]);
		fld(kind[h->mon_kind]);
		h->p[i].seen_hh = 1;
		fld(rk);
		fld(inc);
		fld(cleared ? (yn ? "Y" : "是") : (yn ? "N" : "否"));
		fld(town_of(h));
		fld(village_of(h));
		row_end(h, F_MONITOR, p->id);
	}
}

/* The member a report would be about: the frailest one still alive. */
static const struct person *
subject(const struct hh *h)
{
	const struct person *p, *best = head(h);
	int i, score, top = -1;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->dead)
			continue;
		score = (p->selfcare == SC_NONE) * 8 + (p->ill == I_GRAVE) * 6 +
		    (p->age >= 80) * 4 + (p->dis_grade > 0) * 2 +
		    (p->rel == R_HEAD);
		if (score > top)
			top = score, best = p;
	}
	return best;
}

static void
app_row(struct hh *h, long day, const char *kind, const char *result,
    const char *why, double pc)
{
	const struct person *p = head(h);
	char b[128];
	static const int pc_w[] = { 60, 0, 0, 15, 0, 15, 10 };
	enum mstyle ms = rweight(pc_w, 7);

	if (ms != M_DASH && ms != M_EMPTY && day > h->st_app_day)
		h->st_app = pc, h->st_app_day = day;
	row_start(day);
	fldf("SQ%.4s%07u", fmt_date(b, sizeof b, day, D_ISO), ++app_seq);
	fld(name_as(b, sizeof b, p->name, 0.02));
	fld(id_as(b, sizeof b, p->id, &dm_apps));
	fld(fmt_date(b, sizeof b, day, chance(0.85) ? D_ISO : D_SLASH));
	fld(kind);
	fld(result);
	fld(why);
	fld(fmt_money(b, sizeof b, pc, ms));
	fld(town_of(h));
	fld(village_of(h));
	row_end(h, F_APPS, p->id);
}

static void
put_applications(struct hh *h)
{
	static const char *why[] = { "家庭人均收入超过低保标准",
	    "家庭财产状况不符合规定", "家庭成员名下有机动车辆",
	    "有法定赡养人且具备赡养能力", "申请人放弃申请",
	    "未按要求提供证明材料" };
	static const char *kind[] = { "低保", "低保", "低保", "临时救助",
	    "医疗救助" };
	double pc0 = h->inc0 / 12 / h->n, pc = pc_month(h, h->inc);

	if ((h->prog & (P_DIBAO | P_TEKUN)) && chance(0.7))
		app_row(h, h->prog_since - rint_in(20, 60), h->prog & P_TEKUN ?
		    "特困供养" : "低保", "批准", "", pc0 * rrange(0.8, 1));
	if (h->prog && chance(0.05))
		app_row(h, recent(20, 700), chance(0.5) ? "临时救助" :
		    "医疗救助", "批准", "", pc0);
	/* Turned down then, when things were better. */
	if (h->rejected)
		app_row(h, recent(200, 1100), PICK(kind), "不予批准",
		    PICK(why), h->std * rrange(1.05, 1.6));
	if (h->noise_reject)
		app_row(h, recent(60, 1100), PICK(kind), "不予批准",
		    PICK(why), pc * rrange(0.9, 1.1));
	if (h->pending)
		app_row(h, recent(5, 40), chance(0.5) ? "临时救助" :
		    "医疗救助", "审核中", "", pc);
}

/* What the household's trouble sounds like, told by a caller or worker. */
static void
need_text(char *b, size_t n, const struct hh *h, const struct person *s)
{
	const struct person *p;
	int i, lost = 0, uni = 0;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		lost |= p->lost && !p->dead;
		uni |= p->stage >= S_HIGH && !p->dead;
	}
	if (h->dst_loss >= L_SEVERE)
		snprintf(b, n, "%s，房屋%s，目前借住在亲戚家，生活困难，"
		    "希望政府帮助解决住房和生活问题", events[h->dst - 1].kind,
		    loss_name[h->dst_loss]);
	else if (h->earner_died)
		snprintf(b, n, "家里顶梁柱今年去世,剩下%d口人没有收入来源,"
		    "\"日子过不下去了\"", h->nlive);
	else if (s->ill == I_GRAVE)
		snprintf(b, n, "%s患%s，每月治疗费用几千元，家里已经借了不少钱，"
		    "询问能否申请低保和医疗救助", s->rel == R_HEAD ? "本人" :
		    rel_name[s->rel], s->sudden ? "重病（刚确诊）" : "重病");
	else if (s->selfcare == SC_NONE)
		snprintf(b, n, "家中%s%s残疾，\"瘫痪在床\"，无人照料,"
		    "请求上门看看", s->rel == R_HEAD ? "" : rel_name[s->rel],
		    dis_kind_name[s->dis_kind]);
	else if (h->nlive == 1 && s->age >= 70)
		snprintf(b, n, "%d岁老人独居，子女不在身边，行动不便，"
		    "吃饭都成问题", s->age);
	else if (lost)
		snprintf(b, n, "家里务工人员失业回家,没有收入,"
		    "还有老人小孩要养，问有没有救助");
	else if (uni)
		snprintf(b, n, "孩子在读书，学费生活费交不起，家里收入很低");
	else
		snprintf(b, n, "家庭收入低，生活困难，不知道怎么申请低保");
}

static const char *
noise_text(int kind)
{
	static const char *consult[] = {
	    "咨询低保申请需要准备哪些材料", "咨询临时救助的标准和流程",
	    "询问残疾证怎么办理,能不能领补贴", "咨询高龄津贴什么时候发放",
	    "咨询医疗救助报销比例", "帮亲戚问一下,外地户口能不能在本地申请救助" };
	static const char *other[] = {
	    "反映村里低保评议没有公示", "投诉临时救助金迟迟未到账",
	    "建议在村便民服务中心张贴救助政策", "反映社区办事窗口经常没人" };

	return kind == 1 ? PICK(consult) : PICK(other);
}

static void
hotline_row(struct hh *h, const struct person *s, int kind)
{
	static const char *state[] = { "已办结", "办理中", "已转办", "待回访" };
	static const int state_w[] = { 50, 25, 15, 10 };
	char b[512], t[1024], nm[64], caller[64];
	long day = kind ? recent(1, 365) : recent(1, 120);
	int third = !kind && chance(0.25), hh, mm;

	snprintf(nm, sizeof nm, "%s", s->name);
	if (chance(0.12))
		swap_char(nm, sizeof nm, homophone, NELEM(homophone));
	else if (chance(0.06))
		swap_char(nm, sizeof nm, traditional, NELEM(traditional));
	if (third)
		make_name(caller, sizeof caller, surname_pick(),
		    chance(0.5) ? 'M' : 'F');
	hh = rint_in(8, 20), mm = rint_in(0, 59);
	row_start(day * 10000 + hh * 100 + mm);
	fldf("GD%s%05u", fmt_date(b, sizeof b, day, D_COMPACT), ++ticket_seq);
	fldf("%s %02d:%02d", fmt_date(b, sizeof b, day, D_ISO), hh, mm);
	fld(third ? caller : name_as(b, sizeof b, nm, 0.05));
	if (third)
		make_phone(t);
	fld(third ? t : s->phone[0] ? s->phone : hh_phone(h));
	fld(third ? "" : id_as(b, sizeof b, s->id, &dm_hotline));
	fld(town_of(h));
	fld(chance(0.9) ? village_of(h) : "");
	fld(kind == 0 ? "求助" : kind == 1 ? "咨询" : chance(0.5) ? "投诉" :
	    "建议");
	if (kind)
		snprintf(b, sizeof b, "%s", noise_text(kind));
	else
		need_text(b, sizeof b, h, s);
	if (third)
		snprintf(t, sizeof t, "来电人系%s村民，反映%s的情况：%s", village_of(h),
		    nm, b);
	else
		snprintf(t, sizeof t, "%s", b);
	/* Operators add a note on a line of its own. */
	if (chance(0.3))
		snprintf(t + strlen(t), sizeof t - strlen(t), "\n已转%s民政办核实",
		    town_of(h));
	fld(t);
	fld(state[rweight(state_w, 4)]);
	row_end(h, F_HOTLINE, s->id);
}

static void
put_hotline(struct hh *h)
{
	if (h->help_call) {
		hotline_row(h, subject(h), 0);
		if (chance(0.2))
			hotline_row(h, subject(h), 0);
	}
	if (h->noise_call)
		hotline_row(h, subject(h), h->noise_call);
}

static void
visit_row(struct hh *h, const struct person *s, int need)
{
	static const char *fine[] = { "家庭情况稳定，子女每月寄生活费",
	    "老人身体尚可，能自理，已宣传救助政策", "房屋轻微受损，已自行修缮",
	    "家中有劳动力务工，收入稳定" };
	char b[512];
	const char *kind = "其他", *urg = "一般";
	long day = h->dst_loss >= L_MINOR ? h->dst_day + rint_in(1, 20) :
	    recent(1, 120);

	if (day >= asof)
		day = asof - 1;
	if (h->dst_loss >= L_MINOR)
		kind = "因灾";
	if (need) {
		if (h->dst_loss >= L_SEVERE)
			;
		else if (s->ill == I_GRAVE || h->oop >= 10000)
			kind = "因病";
		else if (s->selfcare == SC_NONE || (h->nlive == 1 &&
		    s->age >= 75))
			kind = "无人照料";
		else if (s->dis_grade > 0)
			kind = "因残";
		else if (all_unable(h))
			kind = "无劳动力";
		urg = h->dst_loss == L_COLLAPSED || h->earner_died ||
		    s->sudden ? "紧急" : h->base ? "较急" : "一般";
	}
	row_start(day);
	fld(fmt_date(b, sizeof b, day, chance(0.6) ? D_DOT : D_CN));
	fld(vill[h->town][h->village].coord);
	fld(town_of(h));
	fld(village_of(h));
	fld(name_as(b, sizeof b, s->name, 0.05));
	fld(id_as(b, sizeof b, s->id, &dm_visit));
	fld(s->phone[0] ? s->phone : hh_phone(h));
	fld(address(b, sizeof b, h));
	fld(kind);
	fld(urg);
	if (need)
		need_text(b, sizeof b, h, s);
	fld(need ? b : PICK(fine));
	row_end(h, F_VISIT, s->id);
}

static void
put_visit(struct hh *h)
{
	if (h->visit)
		visit_row(h, subject(h), 1);
	else if (h->noise_visit)
		visit_row(h, subject(h), 0);
}

static void
put_disaster(struct hh *h)
{
	const struct event *e;
	const struct person *hd = head(h);
	char b[128];

	if (!h->dst)
		return;
	e = &events[h->dst - 1];
	row_start(h->dst_day);
	fld(e->kind);
	fld(fmt_date(b, sizeof b, h->dst_day, chance(0.85) ? D_SLASH :
	    D_SERIAL));
	fld(town_of(h));
	fld(village_of(h));
	fld(name_as(b, sizeof b, hd->name, 0.03));
	fld(id_as(b, sizeof b, hd->id, &dm_disaster));
	fldf("%d", h->nlive);
	fld(loss_name[h->dst_loss]);
	fld(h->dst_reloc ? "√" : "");
	fld(hh_phone(h));
	row_end(h, F_DISASTER, hd->id);
}

static void
put_death(struct hh *h)
{
	const struct person *p;
	char b[128];
	int i;

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (!p->dead)
			continue;
		row_start(p->death_day);
		fld(name_as(b, sizeof b, p->name, 0.02));
		fld(id_as(b, sizeof b, p->id, &dm_death));
		fld(fmt_date(b, sizeof b, p->death_day, chance(0.9) ?
		    D_COMPACT : D_ISO));
		fld(town_of(h));
		row_end(h, F_DEATH, p->id);
	}
}

static const char *
school(char *b, size_t n, const struct hh *h, const struct person *p)
{
	static const char *high[] = { "秀山高级中学", "秀山县第一中学",
	    "秀山县第二中学", "秀山县民族中学" };
	static const char *uni[] = { "重庆大学", "西南大学", "重庆师范大学",
	    "长江师范学院", "重庆三峡学院", "重庆工商大学", "重庆医科大学",
	    "铜仁学院", "重庆电子工程职业学院" };

	switch (p->stage) {
	case S_PRE:
		snprintf(b, n, "%s中心幼儿园", town_of(h));
		break;
	case S_COMP:
		snprintf(b, n, "%s%s", town_of(h), p->age < 12 ? "中心小学" :
		    "中学");
		break;
	case S_HIGH:
		snprintf(b, n, "%s", PICK(high));
		break;
	case S_VOC:
		snprintf(b, n, "秀山县职业教育中心");
		break;
	default:
		snprintf(b, n, "%s", PICK(uni));
	}
	return b;
}

static void
put_education(struct hh *h)
{
	static const int fee_w[] = { 20, 0, 30, 40, 10 };
	const struct person *p;
	char b[128];
	int i, yn = chance(0.1);

	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->stage == S_NONE || p->dead ||
		    (p->stage == S_COMP && !p->aided && !chance(0.25)))
			continue;
		row_start(0);
		fld(name_as(b, sizeof b, p->name, 0.03));
		fld(id_as(b, sizeof b, p->id, &dm_edu));
		fld(stage_name[p->stage]);
		fld(school(b, sizeof b, h, p));
		fld(fmt_money(b, sizeof b, p->fee, rweight(fee_w, 5)));
		fld(p->aided ? (yn ? "是" : "1") : (yn ? "否" : "0"));
		row_end(h, F_EDU, p->id);
		h->seen_fees += p->fee;
	}
}

/*
 * The income per person per month an officer reads in the exports: the
 * roster's assessed figure, else that of the latest application that
 * gave one, else the monitoring list's; -1 when none says.
 */
static double
stated_pc(const struct hh *h)
{
	if (h->st_roster >= 0)
		return h->st_roster;
	if (h->st_app >= 0)
		return h->st_app;
	return h->st_mon;
}

/* Which of the household's reasons the rows written show (see the top). */
static unsigned
evident(const struct hh *h)
{
	const struct person *p;
	double st = stated_pc(h), yr = st * 12 * h->nlive, rigid;
	int report = h->help_call || h->visit, frail = 0, lost = 0, i;
	unsigned r = h->reasons, e = 0;

	rigid = h->oop + h->seen_fees;
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if (p->dead || !p->seen)
			continue;
		frail |= (h->nlive == 1 && p->age >= 80) || p->ill == I_GRAVE ||
		    (p->seen_dis && (p->selfcare == SC_NONE || severe(p)));
		lost |= (p->lost || p->ins_stop) && p->seen_lost;
	}
	if (report || (st >= 0 && st < h->std))
		e |= 1u << RS_DIBAO | 1u << RS_TEKUN;
	if (report || h->oop >= 26000 || (h->oop >= 10000 && (h->seen_prog ||
	    (st >= 0 && st < 1.5 * h->std))) || (st >= 0 && h->oop > 0 &&
	    h->oop >= 0.5 * yr))
		e |= 1u << RS_MEDICAL;
	if (report || (st >= 0 && h->seen_fees > 0 &&
	    h->seen_fees >= 0.4 * yr))
		e |= 1u << RS_EDUCATION;
	if (report || (st >= 0 && rigid >= 0.2 * yr &&
	    (yr - rigid) / 12 / h->nlive < h->std))
		e |= 1u << RS_RIGID;
	if (frail && (report || (st >= 0 && st < 1.5 * h->std) ||
	    (r & e & 1u << RS_MEDICAL)))
		e |= 1u << RS_ALONE;
	if (report || lost)
		e |= 1u << RS_UNSTABLE;
	if (report || h->dst_loss == L_COLLAPSED ||
	    (st >= 0 && st < 1.5 * h->std))
		e |= 1u << RS_DISASTER;
	/*
	 * A grave illness shows in its settlements; an earner's death in
	 * the death register, and it is known to leave a family behind
	 * when a list of households (roster, monitoring) still names him.
	 */
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		if ((p->sudden && !p->dead) || (h->earner_died && p->dead &&
		    p->seen_hh && p->age < 60 && p->inc0 > 0))
			e |= 1u << RS_SUDDEN;
	}
	if (report)
		e |= 1u << RS_SUDDEN;
	e &= r;
	if (e)
		e |= r & (1u << RS_REJECTED | 1u << RS_HOTLINE);
	return e;
}

static void
put_truth(const struct hh *h)
{
	int i, k;

	fprintf(truth, "{\"hh\":\"%s\",\"town\":\"%s\",\"village\":\"%s\","
	    "\"ids\":[", h->code, town_of(h), village_of(h));
	for (i = 0; i < h->n; i++)
		fprintf(truth, "%s\"%s\"", i ? "," : "", h->p[i].id);
	fputs("],\"reasons\":[", truth);
	for (i = 0, k = 0; i < RS_N; i++)
		if (h->reasons & 1u << i)
			fprintf(truth, "%s\"%s\"", k++ ? "," : "",
			    reason_code[i]);
	fputs("],\"evident\":[", truth);
	for (i = 0, k = 0; i < RS_N; i++)
		if (h->evidence & 1u << i)
			fprintf(truth, "%s\"%s\"", k++ ? "," : "",
			    reason_code[i]);
	fputs("]}\n", truth);
}

/*
 * --latent: every household's hidden state, one JSON line each, to see
 * why a run missed a family or referred a fine one.
 */
static void
put_latent(const struct hh *h)
{
	const struct person *p;
	int i;

	fprintf(latent, "{\"hh\":\"%s\",\"urban\":%d,\"n\":%d,\"nlive\":%d,"
	    "\"pc0\":%.0f,\"pc\":%.0f,\"oop\":%.0f,\"fees\":%.0f,"
	    "\"prog\":%u,\"supporter\":%d,\"base\":%u,\"reasons\":%u,"
	    "\"evidence\":%u,\"help\":%d,\"visit\":%d,\"rejected\":%d,"
	    "\"noise\":[%d,%d,%d,%d],\"dst\":%d,\"p\":[", h->code,
	    h->urban, h->n, h->nlive, h->inc0 / 12 / h->n, pc_month(h, h->inc),
	    h->oop, h->fees, h->prog, h->supporter, h->base, h->reasons,
	    h->evidence, h->help_call, h->visit, h->rejected, h->noise_call,
	    h->noise_visit, h->noise_reject, h->noise_unemp, h->dst_loss);
	for (i = 0; i < h->n; i++) {
		p = &h->p[i];
		fprintf(latent, "%s{\"id\":\"%s\",\"age\":%d,\"work\":%d,"
		    "\"inc0\":%.0f,\"inc\":%.0f,\"lost\":%d,\"ins\":%d,"
		    "\"dis\":%d,\"sc\":%d,\"ill\":%d,\"sudden\":%d,"
		    "\"oop\":%.0f,\"stage\":%d,\"fee\":%.0f,\"aided\":%d,"
		    "\"dead\":%d}", i ? "," : "", p->id, p->age, p->work,
		    p->inc0, p->inc, p->lost, p->ins_stop, p->dis_grade,
		    p->selfcare, p->ill, p->sudden, p->oop, p->stage, p->fee,
		    p->aided, p->dead);
	}
	fputs("]}\n", latent);
}

/* ---- the county ---- */

static void
setup_places(void)
{
	int t, i, j, k, tmp, idx[NELEM(village_stem)];
	int n;
	const char **stem;

	for (t = 0; t < NTOWN; t++) {
		town_w[t] = towns[t].weight;
		stem = towns[t].urban ? community_stem : village_stem;
		n = towns[t].urban ? (int)NELEM(community_stem) :
		    (int)NELEM(village_stem);
		for (i = 0; i < n; i++)
			idx[i] = i;
		k = towns[t].urban ? rint_in(6, 10) : rint_in(8, 16);
		for (i = 0; i < k; i++) {
			j = rint_in(i, n - 1);
			tmp = idx[i], idx[i] = idx[j], idx[j] = tmp;
			snprintf(vill[t][i].name, sizeof vill[t][i].name,
			    "%s%s", stem[idx[i]], towns[t].urban ? "社区" : "村");
			make_name(vill[t][i].coord, sizeof vill[t][i].coord,
			    surname_pick(), chance(0.6) ? 'F' : 'M');
		}
		nvill[t] = k;
	}
}

static int
rural_town(void)
{
	int t;

	while (towns[t = rint_in(0, NTOWN - 1)].urban)
		;
	return t;
}

/* This year's disasters: one summer flood, two landslides, house fires. */
static void
setup_events(void)
{
	int i, t[3];
	struct event *e;

	t[0] = rural_town();
	do
		t[1] = rural_town();
	while (t[1] == t[0]);
	do
		t[2] = rural_town();
	while (t[2] == t[0] || t[2] == t[1]);
	for (i = 0; i < 3; i++) {
		e = &events[nevents++];
		*e = (struct event){ "洪涝", asof - 120 + rint_in(0, 3), t[i],
		    -1, 0.06, { 35, 45, 15, 5 } };
	}
	for (i = 0; i < 2; i++) {
		e = &events[nevents++];
		*e = (struct event){ "地质灾害", recent(30, 300), rural_town(),
		    0, 0.25, { 20, 30, 30, 20 } };
		e->village = rint_in(0, nvill[e->town] - 1);
	}
	e = &events[nevents++];
	*e = (struct event){ "火灾", 0, -1, -1, 0.0006, { 0, 20, 40, 40 } };
}

static long
parse_date(const char *s)
{
	int y, m, d, n = 0;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || s[n] != '\0' ||
	    y < 2000 || y > 2029 || m < 1 || m > 12 || d < 1 || d > 31)
		die("--as-of: want YYYY-MM-DD between 2000 and 2029: %s", s);
	asof_year = y;
	return days_from_civil(y, m, d);
}

static void
usage(void)
{
	fputs("usage: gen-county [--seed N] [--households N] "
	    "[--as-of YYYY-MM-DD] [-v] [--latent] --out DIR\n", stderr);
	exit(2);
}

static FILE *
open_extra(const char *dir, const char *name)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	setvbuf(fp, NULL, _IOFBF, 1 << 20);
	return fp;
}

static void
open_all(const char *dir)
{
	char b[256];
	int f;

	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		die("%s: %s", dir, strerror(errno));
	for (f = 0; f < NFILES; f++) {
		out_open(dir, &outs[f], &specs[f]);
		if (f == F_MEDICAL) {
			snprintf(b, sizeof b, "秀山县%d年医保结算明细"
			    ",,,,,,,,,,,,", asof_year);
			out_text(&outs[f], b);
		}
		out_text(&outs[f], outs[f].sp.header);
	}
	identity = open_extra(dir, "identity.tsv");
	truth = open_extra(dir, "truth.ndjson");
}

static void
close_all(void)
{
	char b[512], m[5][32];
	int f, i;

	for (i = 0; i < 5; i++)
		fmt_money(m[i], sizeof m[i], med_sum[i] / 100.0, M_PLAIN);
	snprintf(b, sizeof b, "合计,,,,,,,,%s,%s,%s,%s,%s\n", m[0], m[1], m[2],
	    m[3], m[4]);
	for (f = 0; f < NFILES; f++)
		out_close(&outs[f], f == F_MEDICAL ? b :
		    f == F_EMPLOY ? ",,,,,,,\n,,,,,,,\n" :
		    f == F_DISASTER ? "\n\n\n" :
		    f == F_EDU ? ",,,,,\n,,,,,\n,,,,,\n" : NULL);
	if (fclose(identity) != 0 || fclose(truth) != 0 ||
	    (latent != NULL && fclose(latent) != 0))
		die("write: %s", strerror(errno));
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "households", required_argument, NULL, 'n' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "latent", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct hh h;
	uint64_t seed = 1, x;
	long nh = 20000, i, people = 0, found = 0, hard = 0;
	const char *dir = NULL;
	char *end;
	int c, verbose = 0, want_latent = 0, r, by[RS_N] = { 0 };

	asof = parse_date("2026-11-01");
	while ((c = getopt_long(argc, argv, "s:n:a:o:vlh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				die("--seed: not a number: %s", optarg);
			break;
		case 'n':
			nh = strtol(optarg, &end, 10);
			if (*end != '\0' || nh < 1 || nh > 999999)
				die("--households: want 1..999999: %s", optarg);
			break;
		case 'a':
			asof = parse_date(optarg);
			break;
		case 'o':
			dir = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'l':
			want_latent = 1;
			break;
		default:
			usage();
		}
	}
	if (dir == NULL || optind != argc)
		usage();
	x = seed;
	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&x);
	id_used = xrealloc(NULL, sizeof *id_used * NELEM(region) * ID_DAYS * 2);
	memset(id_used, 0, sizeof *id_used * NELEM(region) * ID_DAYS * 2);
	setup_places();
	setup_events();
	open_all(dir);
	if (want_latent)
		latent = open_extra(dir, "latent.ndjson");
	for (i = 0; i < nh; i++) {
		gen_household(&h, (int)i);
		put_roster(&h);
		put_medical(&h);
		put_employment(&h);
		put_disability(&h);
		put_monitor(&h);
		put_applications(&h);
		put_hotline(&h);
		put_visit(&h);
		put_disaster(&h);
		put_death(&h);
		put_education(&h);
		people += h.n;
		hard += h.reasons != 0;
		h.evidence = evident(&h);
		if (h.reasons && h.traces)
			put_truth(&h);
		if (h.evidence) {
			found++;
			for (r = 0; r < RS_N; r++)
				by[r] += (h.evidence >> r) & 1;
		}
		if (latent != NULL)
			put_latent(&h);
	}
	close_all();
	if (verbose) {
		fprintf(stderr, "gen-county: %ld households, %ld people, %ld in "
		    "hardship, %ld evident:", nh, people, hard, found);
		for (r = 0; r < RS_N; r++)
			fprintf(stderr, " %s %d", reason_code[r], by[r]);
		fputc('\n', stderr);
	}
	return 0;
}
