/*
 * dict.c — the data dictionary table (see dict.h and reach-records(7)).
 */
#include <string.h>

#include "dict.h"

#define CODES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct dict_field fields[] = {
	/* identity: who the row is about */
	{ "id", VT_ID, MERGE_FIRST, "身份证号码", "ID number", NULL },
	{ "id_raw", VT_STR, MERGE_FIRST, "原始身份证号", "ID as given", NULL },
	{ "name", VT_NAME, MERGE_FIRST, "姓名", "name", NULL },
	{ "sex", VT_SEX, MERGE_FIRST, "性别", "sex", NULL },
	{ "birth", VT_DATE, MERGE_FIRST, "出生日期", "birth date", NULL },
	{ "ethnic", VT_STR, MERGE_FIRST, "民族", "ethnic group", NULL },
	{ "phone", VT_PHONE, MERGE_FIRST, "联系电话", "phone", NULL },
	{ "town", VT_STR, MERGE_FIRST, "乡镇（街道）", "township", NULL },
	{ "village", VT_STR, MERGE_FIRST, "村（社区）", "village", NULL },
	{ "addr", VT_TEXT, MERGE_FIRST, "家庭住址", "address", NULL },
	{ "hh", VT_STR, MERGE_FIRST, "户编号", "household number", NULL },
	{ "head_name", VT_NAME, MERGE_FIRST, "户主姓名", "head of household", NULL },
	{ "rel", VT_ENUM, MERGE_FIRST, "与户主关系", "relation to head",
	    CODES("head=户主|本人", "spouse=配偶|妻|夫|妻子|丈夫",
		"child=子女|子|女|儿子|女儿|长子|长女|次子|次女",
		"parent=父母|父亲|母亲|父|母",
		"grandchild=孙子女|孙子|孙女|外孙子女|外孙|外孙女",
		"other=其他|其它") },
	{ "hh_size", VT_INT, MERGE_MAX, "家庭人口数", "household size", NULL },
	/* name parts, when a source gives them apart, and more identifiers
	 * for linking: an export may carry no citizen ID but another number */
	{ "given", VT_NAME, MERGE_FIRST, "名", "given name", NULL },
	{ "family", VT_NAME, MERGE_FIRST, "姓", "family name", NULL },
	{ "postcode", VT_STR, MERGE_FIRST, "邮政编码", "postcode", NULL },
	{ "card", VT_STR, MERGE_FIRST, "其他证件号码",
	    "other ID number (social security, insurance card)", NULL },

	/* prog: enrolment in the low-income programmes */
	{ "prog.kind", VT_SET, MERGE_UNION, "人员类别", "programme",
	    CODES("dibao=低保对象|低保|城乡低保|农村低保|城市低保",
		"tekun=特困人员|特困|特困供养|特困供养人员",
		"edge=低保边缘家庭成员|低保边缘|低保边缘家庭",
		"monitor=防止返贫监测对象|监测对象",
		"zhichu=支出型困难家庭成员|支出型困难家庭|支出型困难",
		"other=其他|其它") },
	{ "prog.since", VT_DATE, MERGE_LATEST, "纳入日期", "enrolled since", NULL },
	{ "prog.hh_income_year", VT_MONEY, MERGE_LATEST, "家庭年收入（元）",
	    "household income per year", NULL },
	{ "prog.hh_income_month_pc", VT_MONEY, MERGE_LATEST,
	    "家庭月人均收入（元）", "income per person per month", NULL },

	/* med: medical-insurance settlements */
	{ "med.bill", VT_STR, MERGE_COUNT, "结算编号", "settlement number", NULL },
	{ "med.scheme", VT_ENUM, MERGE_LATEST, "参保类型", "insurance scheme",
	    CODES("resident=城乡居民|城乡居民医保|居民医保|城乡居民基本医疗保险",
		"worker=城镇职工|职工医保|城镇职工基本医疗保险") },
	{ "med.hospital", VT_STR, MERGE_UNION, "就诊医院", "hospital", NULL },
	{ "med.admit", VT_DATE, MERGE_MIN, "入院日期", "admitted", NULL },
	{ "med.last", VT_DATE, MERGE_MAX, "出院日期", "discharged", NULL },
	{ "med.diag", VT_SET, MERGE_UNION, "疾病诊断", "diagnosis", NULL },
	{ "med.total", VT_MONEY, MERGE_SUM, "医疗总费用", "total cost", NULL },
	{ "med.fund", VT_MONEY, MERGE_SUM, "统筹基金支付", "paid by the fund", NULL },
	{ "med.major", VT_MONEY, MERGE_SUM, "大病保险支付",
	    "paid by major-illness insurance", NULL },
	{ "med.aid", VT_MONEY, MERGE_SUM, "医疗救助支付", "paid by medical aid", NULL },
	{ "med.oop", VT_MONEY, MERGE_SUM, "个人自付", "out of pocket", NULL },
	/* made by reach match: settlements counted, 重特大疾病 found */
	{ "med.visits", VT_INT, MERGE_SUM, "结算次数", "settlements", NULL },
	{ "med.serious", VT_BOOL, MERGE_ANY, "重特大疾病", "grave illness", NULL },

	/* emp: employment and unemployment registration */
	{ "emp.status", VT_ENUM, MERGE_LATEST, "登记类型", "registration",
	    CODES("employed=就业登记|就业", "flexible=灵活就业",
		"unemployed=失业登记|失业") },
	{ "emp.since", VT_DATE, MERGE_LATEST, "登记日期", "registered", NULL },
	{ "emp.employer", VT_STR, MERGE_LATEST, "原工作单位", "former employer", NULL },
	{ "emp.benefit", VT_BOOL, MERGE_LATEST, "是否领取失业保险金",
	    "unemployment benefit", NULL },
	{ "emp.ins", VT_ENUM, MERGE_LATEST, "社保缴费状态", "social insurance",
	    CODES("normal=正常|正常缴费|参保缴费", "interrupted=中断|暂停缴费",
		"stopped=停保|终止|停止缴费") },
	{ "emp.ins_since", VT_MONTH, MERGE_LATEST, "中断起始月份",
	    "insurance interrupted since", NULL },

	/* dis: disability federation */
	{ "dis.kind", VT_SET, MERGE_UNION, "残疾类别", "disability",
	    CODES("vision=视力|视力残疾", "hearing=听力|听力残疾",
		"speech=言语|言语残疾", "physical=肢体|肢体残疾",
		"intellectual=智力|智力残疾", "mental=精神|精神残疾",
		"multiple=多重|多重残疾") },
	{ "dis.grade", VT_GRADE, MERGE_MIN, "残疾等级", "disability grade", NULL },
	{ "dis.since", VT_DATE, MERGE_MIN, "发证日期", "certified", NULL },
	{ "dis.selfcare", VT_ENUM, MERGE_WORST, "生活自理能力", "self-care",
	    CODES("full=完全自理|能自理|自理", "partial=部分自理|半自理",
		"none=不能自理|完全不能自理|无自理能力") },

	/* mon: poverty-relapse monitoring */
	{ "mon.kind", VT_ENUM, MERGE_LATEST, "监测对象类别", "monitoring category",
	    CODES("unstable=脱贫不稳定户|脱贫不稳定",
		"edge=边缘易致贫户|边缘易致贫", "sudden=突发严重困难户|突发严重困难") },
	{ "mon.risk", VT_SET, MERGE_UNION, "主要风险", "main risks",
	    CODES("illness=因病", "disability=因残", "education=因学",
		"disaster=因灾", "accident=因意外事故|因意外",
		"work=因务工就业不稳|务工就业不稳", "labour=缺劳动力|缺劳力",
		"other=其他|其它") },
	{ "mon.income_pc_year", VT_MONEY, MERGE_LATEST, "家庭人均纯收入（元/年）",
	    "net income per person per year", NULL },
	{ "mon.cleared", VT_BOOL, MERGE_LATEST, "风险是否消除", "risk cleared", NULL },

	/* app: earlier applications for assistance */
	{ "app.no", VT_STR, MERGE_LATEST, "申请编号", "application number", NULL },
	{ "app.last", VT_DATE, MERGE_MAX, "申请日期", "applied", NULL },
	{ "app.program", VT_ENUM, MERGE_LATEST, "申请类别", "applied for",
	    CODES("dibao=低保|最低生活保障", "tekun=特困供养|特困",
		"linshi=临时救助", "medical_aid=医疗救助",
		"education_aid=教育救助", "housing_aid=住房救助",
		"employment_aid=就业救助", "other=其他|其它") },
	{ "app.result", VT_ENUM, MERGE_LATEST, "审核结果", "decision",
	    CODES("approved=批准|同意|通过", "rejected=不予批准|不批准|未通过|驳回",
		"pending=审核中|待审核|办理中") },
	{ "app.reason", VT_TEXT, MERGE_LATEST, "不予批准原因", "reason refused", NULL },
	{ "app.income_month_pc", VT_MONEY, MERGE_LATEST, "家庭月人均收入（元）",
	    "stated income per person per month", NULL },

	/* hot: hotline and 12345 work orders */
	{ "hot.no", VT_STR, MERGE_COUNT, "工单编号", "work order", NULL },
	{ "hot.last", VT_DATE, MERGE_MAX, "来电时间", "called", NULL },
	{ "hot.topic", VT_SET, MERGE_UNION, "诉求类别", "request type",
	    CODES("help=求助", "inquiry=咨询", "complaint=投诉", "suggestion=建议") },
	{ "hot.text", VT_TEXT, MERGE_LATEST, "诉求内容", "request", NULL },
	{ "hot.state", VT_STR, MERGE_LATEST, "办理状态", "handling", NULL },
	/* made by reach match: calls counted, words of urgency found */
	{ "hot.count", VT_INT, MERGE_SUM, "来电次数", "calls", NULL },
	{ "hot.urgent", VT_BOOL, MERGE_ANY, "诉求紧急", "urgent", NULL },

	/* vis: village visits by assistance workers */
	{ "vis.last", VT_DATE, MERGE_MAX, "走访日期", "visited", NULL },
	{ "vis.by", VT_NAME, MERGE_LATEST, "协理员", "visited by", NULL },
	{ "vis.kind", VT_SET, MERGE_UNION, "困难类型", "hardship",
	    CODES("illness=因病", "disability=因残", "disaster=因灾",
		"no_labour=无劳动力|缺劳动力", "no_carer=无人照料|无人照顾",
		"other=其他|其它") },
	{ "vis.urgency", VT_ENUM, MERGE_WORST, "紧急程度", "urgency",
	    CODES("normal=一般", "soon=较急|比较紧急", "urgent=紧急|非常紧急|特急") },
	{ "vis.text", VT_TEXT, MERGE_LATEST, "情况说明", "notes", NULL },
	{ "vis.urgent", VT_BOOL, MERGE_ANY, "情况紧急", "urgent", NULL },

	/* dst: disaster screening lists */
	{ "dst.kind", VT_ENUM, MERGE_LATEST, "灾害类型", "disaster",
	    CODES("flood=洪涝|洪水|暴雨洪涝|洪涝灾害",
		"geological=地质灾害|山体滑坡|滑坡|泥石流",
		"fire=火灾", "epidemic=疫情", "drought=旱灾|干旱",
		"storm=风雹|风灾|冰雹", "snow=雪灾|低温雨雪冰冻",
		"earthquake=地震", "other=其他|其它") },
	{ "dst.date", VT_DATE, MERGE_LATEST, "发生日期", "date of disaster", NULL },
	{ "dst.size", VT_INT, MERGE_MAX, "家庭人口数", "household size", NULL },
	{ "dst.loss", VT_ENUM, MERGE_WORST, "房屋损失", "house damage",
	    CODES("none=无|无损失", "minor=一般损坏|轻微损坏",
		"severe=严重损坏", "collapsed=倒塌|全部倒塌") },
	{ "dst.relocated", VT_BOOL, MERGE_ANY, "是否转移安置", "relocated", NULL },

	/* death: cremation and police registers */
	{ "death.date", VT_DATE, MERGE_FIRST, "死亡日期", "died", NULL },

	/* edu: student aid */
	{ "edu.stage", VT_SET, MERGE_UNION, "学段", "school stage",
	    CODES("preschool=学前|学前教育|幼儿园",
		"compulsory=义务教育|小学|初中",
		"high=高中|普通高中", "vocational=中职|中等职业教育",
		"college=高校|大学|大专|本科|高等教育") },
	{ "edu.school", VT_STR, MERGE_UNION, "学校", "school", NULL },
	{ "edu.fee", VT_MONEY, MERGE_SUM, "年度学杂费（元）", "fees per year", NULL },
	{ "edu.aided", VT_BOOL, MERGE_ANY, "是否已享受资助", "already aided", NULL },
};

const struct dict_field *dict_fields(size_t *n)
{
	*n = sizeof fields / sizeof fields[0];
	return fields;
}

const struct dict_field *dict_find(const char *key)
{
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	return NULL;
}

static const char *const type_names[] = {
	[VT_STR] = "str", [VT_TEXT] = "text", [VT_ID] = "id",
	[VT_NAME] = "name", [VT_SEX] = "sex", [VT_DATE] = "date",
	[VT_MONTH] = "month", [VT_MONEY] = "money", [VT_INT] = "int",
	[VT_BOOL] = "bool", [VT_PHONE] = "phone", [VT_ENUM] = "enum",
	[VT_SET] = "set", [VT_GRADE] = "grade",
};

int dict_type_parse(const char *name, enum vtype *t)
{
	size_t i;

	for (i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcmp(type_names[i], name) == 0) {
			*t = i;
			return 0;
		}
	return -1;
}

const char *dict_type_name(enum vtype t)
{
	return type_names[t];
}

/* Whether s[0..n) is one of the '|'-separated words in list[0..len). */
static int in_list(const char *list, size_t len, const char *s, size_t n)
{
	const char *p = list, *end = list + len, *bar;

	while (p < end) {
		bar = memchr(p, '|', end - p);
		if (bar == NULL)
			bar = end;
		if ((size_t)(bar - p) == n && memcmp(p, s, n) == 0)
			return 1;
		p = bar + 1;
	}
	return 0;
}

const char *dict_code(const struct dict_field *f, const char *s, size_t n)
{
	const char *const *c;
	const char *eq;

	if (f->codes == NULL)
		return NULL;
	for (c = f->codes; *c; c++) {
		eq = strchr(*c, '=');
		if (in_list(*c, eq - *c, s, n) ||
		    in_list(eq + 1, strlen(eq + 1), s, n))
			return *c;
	}
	return NULL;
}

const char *dict_code_label(const struct dict_field *f, const char *code)
{
	const char *const *c;
	size_t n = strlen(code);

	if (f->codes == NULL)
		return NULL;
	for (c = f->codes; *c; c++)
		if (strncmp(*c, code, n) == 0 && (*c)[n] == '=')
			return *c + n + 1;
	return NULL;
}
