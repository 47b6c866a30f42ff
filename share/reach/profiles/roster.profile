# roster — 低收入人口名册 (民政): the low-income population database.
# One row per person; 户编号 groups a household.
source	roster
label	低收入人口名册（民政）

# field			headers: the usual one first, then aliases, separated by |
hh!			户编号 | 家庭编号 | 户号
head_name		户主姓名
name!			姓名 | 成员姓名
id!			身份证号码 | 身份证号 | 公民身份号码 | 证件号码
rel			与户主关系 | 关系
sex			性别
birth			出生日期 | 出生年月
ethnic			民族
town!			乡镇（街道） | 乡镇 | 街道 | 所属乡镇
village!		村（社区） | 村 | 社区 | 所属村（社区）
addr			家庭住址 | 住址 | 地址
phone			联系电话 | 电话 | 手机号码
prog.kind		人员类别 | 救助类别 | 保障类别
prog.since		纳入日期 | 纳入时间
hh_size			家庭人口数 | 家庭人口
prog.hh_income_year	家庭年收入（元） | 家庭年收入
prog.hh_income_month_pc	家庭月人均收入（元） | 家庭月人均收入
